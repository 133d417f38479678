import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * Integration files that run at once, each on a lane of its own (tests/support/lanes.ts). Most of a
 * file's time is spent waiting (retry pauses, fault windows, worker hand-offs), so more lanes than
 * cores pay; TEST_LANES=1 runs the files one at a time.
 */
const TEST_LANES = Math.max(1, Math.trunc(Number(process.env.TEST_LANES)) || 3);

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Outside Next's react-server bundle the real module throws; the tests are server code.
      "server-only": path.resolve(import.meta.dirname, "tests/support/server-only.ts"),
    },
  },
  test: {
    env: {
      // The console's pino lines (in-process workers, handlers) would drown the test output.
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      // A killed worker's job fails over within 10 + 2 s instead of 20 + 10 s (lib/env.ts, queueTiming);
      // worker processes the tests start inherit it.
      JOB_HEARTBEAT_SECONDS: process.env.JOB_HEARTBEAT_SECONDS ?? "10",
      JOB_SUPERVISE_SECONDS: process.env.JOB_SUPERVISE_SECONDS ?? "2",
    },
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
