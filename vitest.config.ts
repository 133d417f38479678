import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";
import { TEST_LANES } from "./tests/support/lane-count";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Outside Next's react-server bundle the real module throws; the tests are server code.
      "server-only": path.resolve(import.meta.dirname, "tests/support/server-only.ts"),
    },
  },
  test: {
    // The console's pino lines (in-process workers, handlers) would drown the test output.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" },
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
          // TEST_LANES files at once, each with a database and an emulator of its own while it runs
          // (tests/support/lanes.ts). Files that run one after the other on a lane share them, and
          // isolate by creating their own users and tenants, and by owning their emulated tenants
          // (tests/support/tenants.ts).
          maxWorkers: TEST_LANES,
        },
      },
    ],
  },
});
