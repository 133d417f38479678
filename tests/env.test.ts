import { describe, expect, it } from "vitest";
import { parseEmulatorEnv, parseEnv, parseStartEnv, queueTiming } from "@/lib/env";

const valid = {
  DATABASE_URL: "postgres://u:p@localhost:5432/db",
  ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
};

describe("environment", () => {
  it("fills defaults for Microsoft's endpoints and strips trailing slashes", () => {
    const env = parseEnv({ ...valid, GRAPH_URL: "https://localhost:4443/" });
    expect(env.GRAPH_URL).toBe("https://localhost:4443");
    expect(env.LOGIN_URL).toBe("https://login.microsoftonline.com");
    expect(env.WORKER_CONCURRENCY).toBe(4);
    expect(env.WORKER_DRAIN_SECONDS).toBe(20);
  });

  it("keeps pg-boss's heartbeat at 20 s unless told, and never under its floor of 10 s", () => {
    expect(queueTiming({})).toEqual({ heartbeatSeconds: 20, superviseSeconds: 10, scheduleCheckSeconds: 30 });
    expect(
      queueTiming({ JOB_HEARTBEAT_SECONDS: "10", JOB_SUPERVISE_SECONDS: "2", SCHEDULE_CHECK_SECONDS: "3" }),
    ).toEqual({ heartbeatSeconds: 10, superviseSeconds: 2, scheduleCheckSeconds: 3 });
    expect(() => queueTiming({ JOB_HEARTBEAT_SECONDS: "5" })).toThrowError(/JOB_HEARTBEAT_SECONDS/);
    // pg-boss refuses a cron pass outside 1–45 s: so does the console, by name.
    expect(() => queueTiming({ SCHEDULE_CHECK_SECONDS: "60" })).toThrowError(/SCHEDULE_CHECK_SECONDS/);
  });

  it("names every bad variable with a readable reason", () => {
    expect(() =>
      parseEnv({ DATABASE_URL: "mysql://x", ENCRYPTION_KEY: "short", GRAPH_URL: "http://graph" }),
    ).toThrowError(
      /DATABASE_URL: must be a postgres:\/\/ connection URL[\s\S]*ENCRYPTION_KEY: must be 32 bytes[\s\S]*GRAPH_URL: must be an https:\/\/ URL/,
    );
  });

  it("parses the session settings the web server reads", () => {
    const env = parseEnv({ ...valid, NEXTAUTH_SECRET: "s3cret", NEXTAUTH_URL: "https://console.example.com" });
    expect(env.NEXTAUTH_SECRET).toBe("s3cret");
    expect(env.NEXTAUTH_URL).toBe("https://console.example.com");
    expect(() => parseEnv({ ...valid, NEXTAUTH_URL: "console.example.com" })).toThrowError(
      /NEXTAUTH_URL: must be an http:\/\/ or https:\/\/ URL/,
    );
  });

  it("lets npm start run with nothing set, and leaves unset what it will provide", () => {
    const env = parseStartEnv({});
    expect(env).toMatchObject({ PORT: 3000, HOST: "127.0.0.1", DATA_DIR: ".data", EMULATOR_SEED: 1, EMULATOR_PORT: 0 });
    expect(env.WORKER_DRAIN_SECONDS).toBe(20); // npm start waits for its worker's drain
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.ENCRYPTION_KEY).toBeUndefined();
    expect(env.GRAPH_URL).toBeUndefined();
  });

  it("refuses a bad value before npm start prepares anything", () => {
    expect(() => parseStartEnv({ PORT: "web", ENCRYPTION_KEY: "short", EMULATOR_SEED: "x" })).toThrowError(
      /PORT: [\s\S]*ENCRYPTION_KEY: must be 32 bytes[\s\S]*EMULATOR_SEED: /,
    );
  });

  it("sizes the stand-alone emulator from its variables", () => {
    expect(parseEmulatorEnv({})).toEqual({ DATA_DIR: ".data", EMULATOR_SEED: 1, EMULATOR_PORT: 0 });
    expect(
      parseEmulatorEnv({
        EMULATOR_TENANTS: "1",
        EMULATOR_GROUPS: "5000",
        EMULATOR_POLICIES: "0",
        EMULATOR_PORT: "4443",
      }),
    ).toMatchObject({ EMULATOR_TENANTS: 1, EMULATOR_GROUPS: 5000, EMULATOR_POLICIES: 0, EMULATOR_PORT: 4443 });
    expect(() => parseEmulatorEnv({ EMULATOR_TENANTS: "0" })).toThrowError(/EMULATOR_TENANTS: /);
  });
});
