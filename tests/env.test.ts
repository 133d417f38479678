import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";

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
  });

  it("names every bad variable with a readable reason", () => {
    expect(() =>
      parseEnv({ DATABASE_URL: "mysql://x", ENCRYPTION_KEY: "short", GRAPH_URL: "http://graph" }),
    ).toThrowError(
      /DATABASE_URL: must be a postgres:\/\/ connection URL[\s\S]*ENCRYPTION_KEY: must be 32 bytes[\s\S]*GRAPH_URL: must be an https:\/\/ URL/,
    );
  });
});
