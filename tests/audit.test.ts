import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, operationRuns, users } from "@/db/schema";
import { listAuditEvents, RECENT_WINDOW } from "@/lib/audit/queries";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { signInWithPassword } from "@/lib/auth/password-sign-in";
import { cancelRun, rerunRun } from "@/lib/operations/control";
import { startOperation } from "@/lib/operations/start";
import { actor, createTestTenant, createUser, openHarness } from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

/** The text of the PostgreSQL error a statement raised (drizzle wraps it in `cause`). */
async function refusal(statement: Promise<unknown>): Promise<string> {
  const err = await statement.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).not.toBeNull();
  const cause = (err as { cause?: { message?: string } }).cause;
  return cause?.message ?? String(err);
}

describe("audit_events", () => {
  it("is append-only: update, delete and truncate are refused", async () => {
    const owner = await createUser(h.db, "Auditor");
    const tenant = await createTestTenant(h.db, owner.id);
    await recordAudit(h.db, {
      actor: { kind: "user", userId: owner.id, name: owner.name },
      tenantId: tenant.id,
      action: "tenant.update",
      outcome: "success",
    });
    // The tenant's creation is on record too: take the event this test wrote.
    const [row] = await h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.id), eq(auditEvents.action, "tenant.update")));
    expect(row).toMatchObject({ action: "tenant.update", actorName: "Auditor", outcome: "success" });

    expect(
      await refusal(h.db.update(auditEvents).set({ actorName: "Someone else" }).where(eq(auditEvents.id, row!.id))),
    ).toMatch(/append-only \(UPDATE refused\)/);
    expect(await refusal(h.db.delete(auditEvents).where(eq(auditEvents.id, row!.id)))).toMatch(
      /append-only \(DELETE refused\)/,
    );
    expect(await refusal(h.db.execute(sql`truncate audit_events`))).toMatch(/append-only \(TRUNCATE refused\)/);
    const [still] = await h.db.select().from(auditEvents).where(eq(auditEvents.id, row!.id));
    expect(still!.actorName).toBe("Auditor");
  });
});

const eventsOf = (tenantId: string) =>
  h.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId)).orderBy(asc(auditEvents.occurredAt));

describe("every mutation writes its event", () => {
  it("tenant create, run start, join, cancel and re-run, with the request's client address", async () => {
    const owner = await createUser(h.db, "Owner A");
    const tenant = await createTestTenant(h.db, owner.id, { displayName: "Audited tenant" });
    const who = { ...actor(owner), clientAddress: "198.51.100.7" };
    const { run } = await startOperation(h.deps, {
      actor: who,
      tenantId: tenant.id,
      type: "test.wait",
      inputs: { waitMs: 60_000 },
    });
    const joined = await startOperation(h.deps, {
      actor: who,
      tenantId: tenant.id,
      type: "test.wait",
      inputs: { waitMs: 60_000 },
    });
    expect(joined.created).toBe(false);
    await cancelRun(h.deps, { actor: who, tenantId: tenant.id, runId: run.id });
    const rerun = await rerunRun(h.deps, { actor: who, tenantId: tenant.id, runId: run.id });
    await cancelRun(h.deps, { actor: who, tenantId: tenant.id, runId: rerun.run.id });

    const events = await eventsOf(tenant.id);
    expect(events.map((e) => [e.action, e.targetId, e.outcome, e.details])).toEqual([
      ["tenant.create", tenant.id, "success", { tenantGuid: expect.any(String), clientId: expect.any(String) }],
      ["run.start", run.id, "success", {}],
      ["run.start", run.id, "success", { joined: true }],
      ["run.cancel", run.id, "success", {}],
      ["run.rerun", rerun.run.id, "success", { rerunOf: run.id }],
      ["run.cancel", rerun.run.id, "success", {}],
    ]);
    expect(events[0]).toMatchObject({
      actorKind: "user",
      actorUserId: owner.id,
      actorName: "Owner A",
      targetLabel: "Audited tenant",
    });
    expect(events.slice(1).every((e) => e.clientAddress === "198.51.100.7" && e.actorName === "Owner A")).toBe(true);
    // The tenant's client secret (the harness's "test-secret") is never in the log.
    expect(JSON.stringify(events)).not.toContain("test-secret");
  });

  it("a start whose transaction rolls back leaves neither the run nor its event", async () => {
    const owner = await createUser(h.db, "Owner B");
    const tenant = await createTestTenant(h.db, owner.id);
    // A real fault in the start's transaction: PostgreSQL refuses the queued notification it writes.
    const fn = `audit_fault_${randomUUID().replaceAll("-", "")}`;
    await h.db.execute(
      sql.raw(`create function ${fn}() returns trigger language plpgsql as $$
      begin if new.tenant_id = '${tenant.id}' then raise exception 'injected fault'; end if; return new; end $$`),
    );
    await h.db.execute(
      sql.raw(`create trigger ${fn} before insert on notifications for each row execute function ${fn}()`),
    );
    try {
      await expect(
        startOperation(h.deps, { actor: actor(owner), tenantId: tenant.id, type: "test.noop" }),
      ).rejects.toThrow();
    } finally {
      await h.db.execute(sql.raw(`drop trigger ${fn} on notifications; drop function ${fn}()`));
    }
    expect(await h.db.select().from(operationRuns).where(eq(operationRuns.tenantId, tenant.id))).toEqual([]);
    expect((await eventsOf(tenant.id)).map((e) => e.action)).toEqual(["tenant.create"]);
  });

  it("password sign-ins: success, failure and the lock, against the account named; unknown emails unnamed", async () => {
    const email = `${randomUUID()}@example.test`;
    const [user] = await h.db
      .insert(users)
      .values({ email, name: "Signer", passwordHash: await hashPassword("right-password") })
      .returning();
    const limits = {
      account: { failures: 2, windowSeconds: 60, lockSeconds: 60 },
      address: { failures: 100, windowSeconds: 60, lockSeconds: 60 },
    };
    const address = "203.0.113.9";
    expect(await signInWithPassword(h.db, { email, password: "right-password", address, limits })).toMatchObject({
      ok: true,
    });
    await signInWithPassword(h.db, { email, password: "wrong-1", address, limits });
    await signInWithPassword(h.db, { email, password: "wrong-2", address, limits });
    expect(await signInWithPassword(h.db, { email, password: "right-password", address, limits })).toMatchObject({
      reason: "throttled",
    });
    const mine = await h.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.actorUserId, user!.id))
      .orderBy(asc(auditEvents.occurredAt), asc(auditEvents.action));
    expect(mine.map((e) => [e.action, e.outcome, e.details])).toEqual([
      ["auth.sign_in", "success", { method: "password" }],
      ["auth.sign_in_failed", "failed", { reason: "invalid" }],
      ["auth.locked", "refused", { reason: "too_many_failures", locked: ["account"] }],
      ["auth.sign_in_failed", "failed", { reason: "invalid" }],
      ["auth.sign_in_failed", "refused", { reason: "throttled" }],
    ]);
    expect(mine.every((e) => e.clientAddress === address && e.tenantId === null)).toBe(true);

    const unknown = `${randomUUID()}@example.test`;
    await signInWithPassword(h.db, { email: unknown, password: "guess", address: "203.0.113.10", limits });
    const [attempt] = await h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.clientAddress, "203.0.113.10"), eq(auditEvents.action, "auth.sign_in_failed")));
    expect(attempt).toMatchObject({ actorUserId: null, actorName: "(unknown account)", targetId: null });
    expect(JSON.stringify(attempt)).not.toContain(unknown);
  });
});

describe("listing", () => {
  /** `count` events in a tenant, two per microsecond-exact instant (ties on time), oldest first. */
  async function seed(
    tenantId: string | null,
    count: number,
    actorUserId: string | null = null,
    base = Date.UTC(2026, 0, 10, 12),
  ) {
    const rows = Array.from({ length: count }, (_, i) => ({
      occurredAt: new Date(base + Math.floor(i / 2) * 3_600_000),
      actorKind: "user" as const,
      actorUserId,
      actorName: i % 3 === 0 ? "Alice" : "Bob",
      tenantId,
      action: i % 2 === 0 ? "run.start" : "member.role_change",
      outcome: "success" as const,
    }));
    await h.db.insert(auditEvents).values(rows);
  }

  async function walk(scope: Parameters<typeof listAuditEvents>[1]["scope"], filters = {}, pageSize = 7) {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditEvents(h.db, { scope, filters: { ...filters, cursor }, pageSize });
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return seen;
  }

  it("pages a tenant's events newest first without gaps or repeats, and never another tenant's", async () => {
    const owner = await createUser(h.db, "Lister");
    const mine = await createTestTenant(h.db, owner.id);
    const other = await createTestTenant(h.db, owner.id);
    await seed(mine.id, 40);
    await seed(other.id, 40);
    const expected = (
      await h.db
        .select({ id: auditEvents.id })
        .from(auditEvents)
        .where(eq(auditEvents.tenantId, mine.id))
        .orderBy(sql`occurred_at desc, id desc`)
    ).map((r) => r.id);
    expect(expected).toHaveLength(41); // and its tenant.create
    expect(await walk({ tenantId: mine.id })).toEqual(expected);
  });

  it("filters by actor, action family, exact action and UTC days", async () => {
    const owner = await createUser(h.db, "Filterer");
    const tenant = await createTestTenant(h.db, owner.id);
    await seed(tenant.id, 40);
    const all = await h.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenant.id));
    const count = async (filters: object) => (await walk({ tenantId: tenant.id }, filters, 5)).length;
    expect(await count({ actor: "Alice" })).toBe(all.filter((e) => e.actorName === "Alice").length);
    expect(await count({ action: "run" })).toBe(20);
    expect(await count({ action: "run.start" })).toBe(20);
    expect(await count({ action: "run.star" })).toBe(0);
    expect(await count({ action: "member", actor: "Bob" })).toBe(
      all.filter((e) => e.action === "member.role_change" && e.actorName === "Bob").length,
    );
    // 2026-01-10 12:00 plus an hour per pair: the 10th holds 12:00–23:00, 24 events.
    expect(await count({ from: "2026-01-10", to: "2026-01-10" })).toBe(24);
    expect(await count({ from: "2026-01-11", to: "2026-01-11" })).toBe(16);
  });

  it("across tenants: the reader's tenants and own sign-ins, merged in order; others' never", async () => {
    const reader = await createUser(h.db, "Reader");
    const stranger = await createUser(h.db, "Stranger");
    const a = await createTestTenant(h.db, reader.id);
    const b = await createTestTenant(h.db, reader.id);
    const theirs = await createTestTenant(h.db, stranger.id);
    await seed(a.id, 15);
    await seed(b.id, 12);
    await seed(theirs.id, 20);
    await seed(null, 6, reader.id);
    await seed(null, 6, stranger.id);
    const seen = await walk({ userId: reader.id, tenantIds: [a.id, b.id] }, {}, 4);
    const rows = await h.db.select().from(auditEvents).where(inArray(auditEvents.id, seen));
    expect(seen).toHaveLength(15 + 1 + 12 + 1 + 6);
    expect(new Set(seen).size).toBe(seen.length);
    expect(rows.every((e) => e.tenantId === a.id || e.tenantId === b.id || e.actorUserId === reader.id)).toBe(true);
    const order = rows.sort((x, y) => seen.indexOf(x.id) - seen.indexOf(y.id));
    for (let i = 1; i < order.length; i++) {
      const [prev, next] = [order[i - 1]!, order[i]!];
      expect(prev.occurredAt >= next.occurredAt).toBe(true);
    }
  });

  it("across tenants: the same pages when the reader's events are sparse among the newest of the table", async () => {
    const reader = await createUser(h.db, "Sparse reader");
    const stranger = await createUser(h.db, "Busy stranger");
    const a = await createTestTenant(h.db, reader.id);
    const b = await createTestTenant(h.db, reader.id);
    const busy = await createTestTenant(h.db, stranger.id);
    await seed(a.id, 15, null, Date.UTC(2025, 5, 1));
    await seed(b.id, 12, null, Date.UTC(2025, 5, 2));
    await seed(null, 6, reader.id, Date.UTC(2025, 5, 3));
    // Newer than all of the reader's: the recent window holds none of them, so slices answer.
    await seed(busy.id, RECENT_WINDOW + 100, null, Date.UTC(2025, 6, 1));
    const scope = { userId: reader.id, tenantIds: [a.id, b.id] };
    const readable = sql`(tenant_id in (${a.id}, ${b.id}) or (tenant_id is null and actor_user_id = ${reader.id}))`;
    const expected = async (extra = sql`true`) =>
      (
        await h.db
          .select({ id: auditEvents.id })
          .from(auditEvents)
          .where(sql`${readable} and ${extra}`)
          .orderBy(sql`occurred_at desc, id desc`)
      ).map((r) => r.id);
    expect(await walk(scope, {}, 4)).toEqual(await expected());
    expect(await walk(scope, { action: "run" }, 4)).toEqual(await expected(sql`action = 'run.start'`));
    expect(await walk(scope, { actor: "Alice" }, 4)).toEqual(await expected(sql`actor_name = 'Alice'`));
  });
});
