import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { createTestTenant, createUser, openHarness } from "./support/harness";

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
    const [row] = await h.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenant.id));
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
