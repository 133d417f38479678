import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Outside Next's react-server bundle the real module throws; the tests are server code.
      "server-only": path.resolve(import.meta.dirname, "tests/support/server-only.ts"),
    },
  },
  test: {
    projects: [
      {
        // Pure functions, tested next to their code: no database, no emulator, no global setup.
        extends: true,
        test: {
          name: "unit",
          include: ["{lib,workers,components,emulator,scripts}/**/*.test.{ts,tsx}", "tests/support/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/**/*.test.ts"],
          exclude: [...configDefaults.exclude, "tests/support/**"],
          globalSetup: ["tests/support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One database and one emulator are shared; files isolate by creating their own users and
          // tenants, and by owning their emulated tenants (tests/support/tenants.ts).
          fileParallelism: false,
        },
      },
    ],
  },
});
