import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantMemberships } from "@/db/schema";
import { listNotifications, markRead, unreadCount } from "@/lib/notifications/queries";
import { startOperation } from "@/lib/operations/start";
import { actor, addMember, createTestTenant, createUser, openHarness } from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

describe("notifications", () => {
  it("pages newest first without gaps or repeats, and filters unread", async () => {
    const user = await createUser(h.db);
    const tenant = await createTestTenant(h.db, user.id);
    // Dispatch failures notify at once (terminal), one per run: 7 notifications.
    for (let i = 0; i < 7; i++)
      await startOperation(h.deps, {
        actor: actor(user),
        tenantId: tenant.id,
        type: "test.unqueued",
        inputs: { key: `n${i}` },
      });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listNotifications(h.db, { userId: user.id, filter: { cursor }, pageSize: 3 });
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const all = (await listNotifications(h.db, { userId: user.id, filter: {}, pageSize: 10 })).items;
    expect(all.map((n) => n.id)).toEqual(seen);
    expect(all.map((n) => n.createdAt.getTime())).toEqual(
      [...all.map((n) => n.createdAt.getTime())].sort((a, b) => b - a),
    );

    await markRead(h.db, user.id, seen[0]);
    expect(await unreadCount(h.db, user.id)).toBe(6);
    const unread = await listNotifications(h.db, { userId: user.id, filter: { unreadOnly: true }, pageSize: 10 });
    expect(unread.items.map((n) => n.id)).toEqual(seen.slice(1));
  });

  it("marks only the user's own notifications read", async () => {
    const a = await createUser(h.db, "A");
    const b = await createUser(h.db, "B");
    const tenant = await createTestTenant(h.db, a.id);
    await addMember(h.db, { userId: b.id, tenantId: tenant.id, role: "operator" });
    await startOperation(h.deps, { actor: actor(a), tenantId: tenant.id, type: "test.unqueued", inputs: { key: "a" } });
    const [mine] = (await listNotifications(h.db, { userId: a.id })).items;
    await markRead(h.db, b.id, mine!.id); // B cannot touch A's notification
    await markRead(h.db, b.id); // nor through "mark all"
    expect(await unreadCount(h.db, a.id)).toBe(1);
  });

  it("hides notifications of a tenant the user no longer belongs to", async () => {
    const owner = await createUser(h.db, "Owner");
    const leaver = await createUser(h.db, "Leaver");
    const tenant = await createTestTenant(h.db, owner.id);
    await addMember(h.db, { userId: leaver.id, tenantId: tenant.id, role: "operator" });
    await startOperation(h.deps, {
      actor: actor(leaver),
      tenantId: tenant.id,
      type: "test.unqueued",
      inputs: { key: "gone" },
    });
    expect(await unreadCount(h.db, leaver.id)).toBe(1);
    await h.db
      .delete(tenantMemberships)
      .where(and(eq(tenantMemberships.userId, leaver.id), eq(tenantMemberships.tenantId, tenant.id)));
    expect(await unreadCount(h.db, leaver.id)).toBe(0);
    expect((await listNotifications(h.db, { userId: leaver.id })).items).toEqual([]);
  });
});
