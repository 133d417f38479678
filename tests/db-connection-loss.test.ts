import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/db/client";
import { databaseUrl } from "./support/harness";

// Connections are terminated by another session, as a PostgreSQL restart or an administrator would.
const admin = createDb(databaseUrl, { max: 1, application: "tenantatlas-test-admin" });
afterAll(() => admin.pool.end());

const terminate = (application: string) =>
  admin.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${application}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("database connections", () => {
  it("survives losing a connection that is checked out between two queries (57P01)", async () => {
    const { db, pool } = createDb(databaseUrl, { max: 2, application: "tenantatlas-test-lost" });
    try {
      // Without a listener for the client's whole life this is an unhandled 'error' event: the test run fails.
      await expect(
        db.transaction(async (tx) => {
          await tx.execute(sql`select 1`);
          await terminate("tenantatlas-test-lost");
          await sleep(300);
          await tx.execute(sql`select 2`);
        }),
      ).rejects.toThrow();
      // The pool replaces the lost connection.
      const { rows } = await db.execute<{ n: number }>(sql`select 3 as n`);
      expect(rows[0]!.n).toBe(3);
    } finally {
      await pool.end();
    }
  });

  it("cancels a statement that outruns the pool's statement timeout (57014)", async () => {
    const { db, pool } = createDb(databaseUrl, { max: 1, statementTimeoutMs: 200 });
    try {
      await expect(db.execute(sql`select pg_sleep(5)`)).rejects.toMatchObject({
        cause: expect.objectContaining({ code: "57014" }),
      });
    } finally {
      await pool.end();
    }
  });
});
