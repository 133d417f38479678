import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", ".data/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    // Test files take emulated tenants through the claim list, so that no two files share one.
    files: ["tests/**/*.test.ts"],
    ignores: ["tests/support/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@/emulator/directory",
              importNames: ["buildDirectory"],
              message: "Use claimEmulatedTenant(s) from tests/support/tenants.ts.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
