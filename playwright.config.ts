import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);

/**
 * End-to-end: the real console (`npm start`: embedded Postgres, Graph emulator, production Next.js
 * server, worker) in Debian's Chromium. The data directory is fresh for every run.
 */
export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    // The Graph emulator's sign-in page is served with the emulator's own CA, which the browser does not know.
    ignoreHTTPSErrors: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: "rm -rf .data/e2e && npm start",
    url: `http://localhost:${port}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    // Alert receivers in the specs listen on this machine, which production refuses by default.
    env: {
      PORT: String(port),
      DATA_DIR: ".data/e2e",
      DEMO_PASSWORD: "e2e-demo-password",
      ALERT_ALLOW_LOCALHOST: "true",
      // Schedules fire within seconds of their minute (e2e/schedules.spec.ts watches one fire).
      SCHEDULE_CHECK_SECONDS: "3",
    },
  },
});
