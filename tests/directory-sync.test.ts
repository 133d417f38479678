import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entraGroups, tenantDirectoryState } from "@/db/schema";
import { directorySummary, listCachedGroups } from "@/lib/directory/groups";
import { startOperation } from "@/lib/operations/start";
import { actor, emulatedTenantFixture, emulatorAdmin, openHarness, waitForCompletion } from "./support/harness";
import { claimEmulatedTenants } from "./support/tenants";

let h: Awaited<ReturnType<typeof openHarness>>;
// The second tenant gets a first, full sync under injected faults (the first one has been changed by then).
const [adatum, tailspin] = claimEmulatedTenants(import.meta.url, 2);
let tenantId: string;
let owner: { id: string; name: string };

beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
  ({ owner, tenantId } = await emulatedTenantFixture(h.db, adatum, "Directory owner"));
});
afterAll(async () => {
  await h.close();
});

type Group = { id: string; displayName: string };
const admin = (path: string, init?: RequestInit) => emulatorAdmin(`/tenants/${adatum.tenantId}/groups${path}`, init);
const json = (body: unknown) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function sync() {
  const { run } = await startOperation(h.deps, {
    actor: actor(owner),
    tenantId,
    type: "directory_groups.sync",
    inputs: {},
  });
  const done = await waitForCompletion(h.db, run.id, 60_000);
  expect(done.failures).toEqual([]);
  expect(done.outcome).toBe("succeeded");
  return done.summaryCounts;
}

async function expectCacheMatchesEmulator() {
  const truth = (await (await admin("")).json()) as Group[];
  const cached = await h.db
    .select({ id: entraGroups.id, displayName: entraGroups.displayName, deleted: entraGroups.deleted })
    .from(entraGroups)
    .where(eq(entraGroups.tenantId, tenantId));
  const live = cached
    .filter((g) => !g.deleted)
    .map((g) => `${g.id} ${g.displayName}`)
    .sort();
  expect(live).toEqual(truth.map((g) => `${g.id} ${g.displayName}`).sort());
  return { truth, cached };
}

describe("directory_groups.sync", () => {
  it("caches every group across delta pages on the first round, with the total known up front", async () => {
    const counts = await sync();
    expect(counts).toMatchObject({ total: 2500, processed: 2500, added: 2500, updated: 0, removed: 0, pages: 25 });
    await expectCacheMatchesEmulator();
    const [state] = await h.db.select().from(tenantDirectoryState).where(eq(tenantDirectoryState.tenantId, tenantId));
    // Stored without its host: the emulator's port (or a national cloud's host) may change.
    expect(state!.groupsDeltaLink).toMatch(/^\/v1\.0\/groups\/delta\?\$deltatoken=/);
    expect(await directorySummary(h.db, tenantId)).toMatchObject({ groups: 2500, incremental: true });
  });

  it("picks up additions, edits and removals incrementally from the deltaLink", async () => {
    const before = (await (await admin("")).json()) as Group[];
    for (const name of ["Pilot Ring 1", "Pilot Ring 2", "Pilot Ring 3"])
      await admin("", { method: "POST", ...json({ displayName: name }) });
    await admin(`/${before[10]!.id}`, { method: "PATCH", ...json({ displayName: "Renamed Finance Devices" }) });
    await admin(`/${before[11]!.id}`, { method: "PATCH", ...json({ description: "New description" }) });
    await admin(`/${before[12]!.id}`, { method: "DELETE" });

    const counts = await sync();
    expect(counts).toMatchObject({ processed: 6, added: 3, updated: 2, removed: 1, unchanged: 0, pages: 1 });
    expect(counts.total).toBeUndefined();
    const { cached } = await expectCacheMatchesEmulator();
    expect(cached.find((g) => g.id === before[12]!.id)).toMatchObject({ deleted: true });
    expect((await listCachedGroups(h.db, { tenantId, q: "pilot ring" })).items.map((g) => g.displayName)).toEqual([
      "Pilot Ring 1",
      "Pilot Ring 2",
      "Pilot Ring 3",
    ]);
  });

  it("reports nothing on a round without changes", async () => {
    const counts = await sync();
    expect(counts).toMatchObject({ processed: 0, added: 0, updated: 0, removed: 0, pages: 1 });
  });

  it("keeps what Graph did not resend: an edited group comes back as its id and the changed properties, possibly twice", async () => {
    const before = (await (await admin("")).json()) as (Group & { mail: string | null; description: string | null })[];
    const unified = before.find((g) => g.mail)!;
    // Two edits of one group in one round are two entries; an edit then a removal ends removed.
    await admin(`/${unified.id}`, { method: "PATCH", ...json({ description: "First edit" }) });
    await admin(`/${unified.id}`, { method: "PATCH", ...json({ description: "Second edit" }) });
    await admin(`/${before[20]!.id}`, { method: "PATCH", ...json({ displayName: "Short-lived name" }) });
    await admin(`/${before[20]!.id}`, { method: "DELETE" });

    const counts = await sync();
    expect(counts).toMatchObject({ processed: 4, updated: 1, removed: 1 });
    const [edited] = await h.db.select().from(entraGroups).where(eq(entraGroups.id, unified.id));
    expect(edited).toMatchObject({
      displayName: unified.displayName,
      mail: unified.mail,
      description: "Second edit",
      mailEnabled: true,
      groupTypes: ["Unified"],
      deleted: false,
    });
    await expectCacheMatchesEmulator();
  });

  it("follows a deltaLink stored with another Graph host (an old emulator port) on the configured one", async () => {
    const [state] = await h.db.select().from(tenantDirectoryState).where(eq(tenantDirectoryState.tenantId, tenantId));
    // What a console before this change stored: an absolute link naming the host of that day.
    await h.db
      .update(tenantDirectoryState)
      .set({ groupsDeltaLink: `https://localhost:9${state!.groupsDeltaLink}` })
      .where(eq(tenantDirectoryState.tenantId, tenantId));
    const counts = await sync();
    expect(counts).toMatchObject({ processed: 0, pages: 1 });
    expect(counts.resyncs).toBeUndefined();
  });

  it("does a full round in the same run when Graph resets the synchronization (410)", async () => {
    // Deleted while the sync state was lost: a full round must notice it by absence.
    const [gone] = (await (await admin("")).json()) as Group[];
    await admin(`/${gone!.id}`, { method: "DELETE" });
    const [state] = await h.db.select().from(tenantDirectoryState).where(eq(tenantDirectoryState.tenantId, tenantId));
    // The stored token, pointed at a sync state Graph does not know (still within its lifetime).
    const token = JSON.parse(
      Buffer.from(
        new URL(state!.groupsDeltaLink!, "https://graph.invalid").searchParams.get("$deltatoken")!,
        "base64url",
      ).toString(),
    );
    const expired = Buffer.from(JSON.stringify({ ...token, seq: 1_000_000 })).toString("base64url");
    await h.db
      .update(tenantDirectoryState)
      .set({ groupsDeltaLink: state!.groupsDeltaLink!.replace(/\$deltatoken=.*$/, `$deltatoken=${expired}`) })
      .where(eq(tenantDirectoryState.tenantId, tenantId));
    const counts = await sync();
    expect(counts).toMatchObject({
      resyncs: 1,
      total: 2500,
      processed: 2500,
      added: 0,
      updated: 0,
      removed: 1,
      unchanged: 2500,
    });
    await expectCacheMatchesEmulator();
    const [after] = await h.db.select().from(tenantDirectoryState).where(eq(tenantDirectoryState.tenantId, tenantId));
    expect(after!.groupsDeltaLink).not.toContain(expired);
  });

  it("does a full round in the same run when the deltaLink has outlived its seven days (400 syncStateNotFound)", async () => {
    const [gone] = (await (await admin("")).json()) as Group[];
    await admin(`/${gone!.id}`, { method: "DELETE" });
    await emulatorAdmin("/clock", { method: "POST", ...json({ advanceSeconds: 8 * 24 * 60 * 60 }) });
    const counts = await sync();
    const { truth } = await expectCacheMatchesEmulator();
    expect(counts).toMatchObject({ resyncs: 1, processed: truth.length, added: 0, updated: 0, removed: 1 });
    // The new deltaLink works again: nothing changed, nothing to do.
    expect(await sync()).toMatchObject({ processed: 0, added: 0, updated: 0, removed: 0, pages: 1 });
  });

  it("does a full round in the same run when the stored deltaLink gets no answer while Graph answers otherwise", async () => {
    // The connection of the stored link's request is dropped; the count that follows is answered.
    await emulatorAdmin("/faults", {
      method: "POST",
      ...json({ route: "GET /v1.0/groups/delta", drop: true, times: 1 }),
    });
    try {
      const counts = await sync();
      const { truth } = await expectCacheMatchesEmulator();
      expect(counts).toMatchObject({ resyncs: 1, total: truth.length, processed: truth.length, added: 0, removed: 0 });
    } finally {
      await emulatorAdmin("/faults", { method: "DELETE" });
    }
  });

  it("keeps the deltaLink and retries when Graph answers nothing at all, naming the cause", async () => {
    // The stored link's request and the count both go unanswered: it is the network, not the link.
    await emulatorAdmin("/faults", { method: "POST", ...json({ route: "GET /v1.0/groups*", drop: true, times: 2 }) });
    try {
      const { run } = await startOperation(h.deps, {
        actor: actor(owner),
        tenantId,
        type: "directory_groups.sync",
        inputs: {},
      });
      const done = await waitForCompletion(h.db, run.id, 90_000);
      expect(done).toMatchObject({ outcome: "succeeded", attempt: 2 });
      expect(done.summaryCounts.resyncs).toBeUndefined();
      expect(done.summaryCounts).toMatchObject({ processed: 0, pages: 1 });
      expect(done.attemptErrors).toEqual([
        expect.objectContaining({
          attempt: 1,
          message: expect.stringMatching(/^Microsoft Graph could not be reached: no answer from \S+ \(.+\)/),
        }),
      ]);
    } finally {
      await emulatorAdmin("/faults", { method: "DELETE" });
    }
    const [after] = await h.db.select().from(tenantDirectoryState).where(eq(tenantDirectoryState.tenantId, tenantId));
    expect(after!.groupsDeltaLink).toMatch(/^\/v1\.0\/groups\/delta\?\$deltatoken=/);
  }, 120_000);

  it("pages the cached directory alphabetically without gaps", async () => {
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await listCachedGroups(h.db, { tenantId, after, pageSize: 400 });
      seen.push(...page.items.map((g) => g.displayName.toLowerCase()));
      after = page.next ?? undefined;
    } while (after);
    expect(seen).toHaveLength(2499);
    expect(seen).toEqual([...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it("answers a hand-edited cursor with the first page instead of a database error", async () => {
    const first = await listCachedGroups(h.db, { tenantId, pageSize: 5 });
    const nul = Buffer.from("a\u0000b").toString("base64url");
    for (const after of [`YQ.${"-".repeat(36)}`, `${nul}.${first.items[0]!.id}`, "%%%", "."]) {
      const page = await listCachedGroups(h.db, { tenantId, after, pageSize: 5 });
      expect(page.items.length, after).toBeGreaterThan(0);
    }
  });

  it("finishes a full round with exact counts while Graph throttles and fails a fifth of the requests", async () => {
    const { tenantId: other, owner: otherOwner } = await emulatedTenantFixture(h.db, tailspin);
    const requests = async () =>
      ((await (await emulatorAdmin("/requests")).json()) as { routes: Record<string, number> }).routes[
        "GET /v1.0/groups/delta"
      ] ?? 0;
    const before = await requests();
    await emulatorAdmin("/faults", { method: "DELETE" });
    for (const fault of [
      { status: 429, retryAfter: { seconds: 0 } },
      { status: 429, retryAfter: { date: 0 } },
      { status: 429, retryAfter: "absent" },
      { status: 503, retryAfter: { seconds: 0 } },
      { status: 504 },
    ]) {
      await emulatorAdmin("/faults", {
        method: "POST",
        ...json({ route: "GET /v1.0/groups/delta", rate: 0.05, ...fault }),
      });
    }
    try {
      const { run } = await startOperation(h.deps, {
        actor: actor(otherOwner),
        tenantId: other,
        type: "directory_groups.sync",
        inputs: {},
      });
      const done = await waitForCompletion(h.db, run.id, 120_000);
      expect(done.failures).toEqual([]);
      expect(done).toMatchObject({ outcome: "succeeded", attempt: 1 });
      expect(done.summaryCounts).toMatchObject({
        total: 2500,
        processed: 2500,
        added: 2500,
        updated: 0,
        removed: 0,
        pages: 25,
      });
    } finally {
      await emulatorAdmin("/faults", { method: "DELETE" });
    }
    // Faults really happened: Graph was asked more often than there are pages.
    expect((await requests()) - before).toBeGreaterThan(25);
    const rows = await h.db.select({ id: entraGroups.id }).from(entraGroups).where(eq(entraGroups.tenantId, other));
    expect(rows).toHaveLength(2500);
  }, 180_000);
});
