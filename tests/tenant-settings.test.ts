import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, operationRuns, tenantInvites, tenantMemberships, tenants } from "@/db/schema";
import { ForbiddenError, InputError, NotFoundError } from "@/lib/errors";
import { cancelRun } from "@/lib/operations/control";
import { startOperation } from "@/lib/operations/start";
import { createInvite } from "@/lib/team/invites";
import { requireTenantAccess } from "@/lib/tenants/access";
import { claimTenantGuid } from "@/lib/tenants/guid-claim";
import { loadTenantOverview } from "@/lib/tenants/overview";
import { openClientSecret, sealClientSecret } from "@/lib/tenants/secret";
import { changeAppId, removeTenant, rotateClientSecret } from "@/lib/tenants/settings";
import { tenantSettings } from "@/lib/tenants/settings-view";
import {
  actor,
  addMember,
  createTestTenant,
  createUser,
  emulatedCredentials,
  encryptionKey,
  graphConfig,
  openHarness,
  waitForCompletion,
  waitForStatus,
} from "./support/harness";
import { claimEmulatedTenants } from "./support/tenants";

const [squatted, moving] = claimEmulatedTenants(import.meta.url, 2);

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
});
afterAll(async () => {
  await h.close();
});

const identity = graphConfig;

/** The row as stored: sealed secret included (only tests and workers read it). */
const stored = async (tenantId: string) => (await h.db.select().from(tenants).where(eq(tenants.id, tenantId)))[0];
const auditOf = async (tenantId: string) =>
  (
    await h.db
      .select({ action: auditEvents.action, actor: auditEvents.actorUserId, details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.tenantId, tenantId))
      .orderBy(auditEvents.occurredAt, auditEvents.id)
  ).filter((e) => e.action !== "tenant.create");

async function verify(owner: { id: string; name: string }, tenantId: string) {
  const { run } = await startOperation(h.deps, { actor: actor(owner), tenantId, type: "tenant.verify", inputs: {} });
  return waitForCompletion(h.db, run.id, 60_000);
}

/** An emulated tenant registered with a wrong secret (a typo): it cannot sign in until fixed. */
async function registeredWithWrongSecret(emulated: typeof moving, name = "Owner") {
  const owner = await createUser(h.db, name);
  const credentials = emulatedCredentials(emulated);
  const tenant = await createTestTenant(h.db, owner.id, { ...credentials, clientSecret: "a-typo" });
  return { owner, tenantId: tenant.id, credentials };
}

/** A tenant with an owner and one member of each other role. */
async function team() {
  const owner = await createUser(h.db, "Owner");
  const tenantId = (await createTestTenant(h.db, owner.id, { displayName: `Team ${randomUUID().slice(0, 8)}` })).id;
  const operator = await createUser(h.db, "Operator");
  const viewer = await createUser(h.db, "Viewer");
  const outsider = await createUser(h.db, "Outsider");
  await addMember(h.db, { userId: operator.id, tenantId, role: "operator" });
  await addMember(h.db, { userId: viewer.id, tenantId, role: "viewer" });
  return { owner, operator, viewer, outsider, tenantId };
}

describe("a tenant GUID is claimed only by a successful verification", () => {
  it("lets the real owner register and verify a GUID someone registered first without its secret", async () => {
    // The squatter knows the GUID and the app id (neither is secret) but not the app's secret.
    const squatter = await createUser(h.db, "Squatter");
    const credentials = emulatedCredentials(squatted);
    const squat = await createTestTenant(h.db, squatter.id, { ...credentials, clientSecret: "guessed" });

    // The real owner registers the same GUID: accepted, and the answer says nothing about the squat.
    const realOwner = await createUser(h.db, "Real owner");
    const real = await createTestTenant(h.db, realOwner.id, credentials);
    expect(real.id).not.toBe(squat.id);

    // The squatter's verification fails at sign-in and claims nothing; the owner's claims the GUID.
    const squatRun = await verify(squatter, squat.id);
    expect(squatRun.outcome).toBe("failed");
    expect((await stored(squat.id))!.guidClaimedAt).toBeNull();
    const realRun = await verify(realOwner, real.id);
    expect(realRun.outcome).not.toBe("failed");
    expect((await stored(real.id))!).toMatchObject({ verificationStatus: "verified", guidClaimedAt: expect.any(Date) });

    // A second registration that does sign in (someone else holding the app's secret) is refused
    // in words that name no owner and no console tenant.
    const second = await createUser(h.db, "Second team");
    const other = await createTestTenant(h.db, second.id, credentials);
    const otherRun = await verify(second, other.id);
    expect(otherRun.outcome).toBe("failed");
    const message = JSON.stringify(otherRun.failures);
    expect(message).toContain("already connected to the console by another team");
    for (const leak of [real.id, realOwner.name, realOwner.email, "Test tenant"]) expect(message).not.toContain(leak);
    expect((await stored(other.id))!).toMatchObject({ verificationStatus: "failed", guidClaimedAt: null });

    // Its registration was answered like any other: an id, nothing about the holder.
    expect(Object.keys(other)).toEqual(["id"]);

    // The holder's claim survives its own later verifications, failed ones too (an expired
    // secret must not free the GUID for the next team that signs in).
    const claimedAt = (await stored(real.id))!.guidClaimedAt;
    expect((await verify(realOwner, real.id)).outcome).not.toBe("failed");
    await h.db
      .update(tenants)
      .set({ clientSecretEnc: sealClientSecret("expired", encryptionKey, real.id) })
      .where(eq(tenants.id, real.id));
    expect((await verify(realOwner, real.id)).outcome).toBe("failed");
    expect((await stored(real.id))!).toMatchObject({ verificationStatus: "failed", guidClaimedAt: claimedAt });
    expect((await verify(second, other.id)).outcome).toBe("failed");
    expect((await stored(other.id))!.guidClaimedAt).toBeNull();
  });

  it("gives the GUID to exactly one of two registrations claiming it at once", async () => {
    const tenantGuid = randomUUID();
    const first = await createTestTenant(h.db, (await createUser(h.db, "First")).id, { tenantGuid });
    const second = await createTestTenant(h.db, (await createUser(h.db, "Second")).id, { tenantGuid });
    const claims = await Promise.all([claimTenantGuid(h.db, first.id), claimTenantGuid(h.db, second.id)]);
    expect(claims.toSorted()).toEqual([false, true]);
    const holders = await h.db
      .select({ id: tenants.id })
      .from(tenants)
      .where(sql`${tenants.tenantGuid} = ${tenantGuid} and ${tenants.guidClaimedAt} is not null`);
    expect(holders).toHaveLength(1);
    // Claiming again is a no-op for the holder.
    expect(await claimTenantGuid(h.db, holders[0]!.id)).toBe(true);
  });
});

describe("rotating the client secret", () => {
  it("seals the new secret after it signed in, never returns it, and audits in the same transaction", async () => {
    const { owner, tenantId, credentials } = await registeredWithWrongSecret(moving, "Rotating owner");
    const before = (await stored(tenantId))!;
    expect(openClientSecret(before.clientSecretEnc, encryptionKey, tenantId)).toBe("a-typo");

    const answer = await rotateClientSecret(h.db, {
      actor: actor(owner),
      tenantId,
      clientSecret: credentials.clientSecret,
      encryptionKey,
      identity,
    });
    expect(answer).toBeUndefined();
    const after = (await stored(tenantId))!;
    expect(after.clientSecretEnc).not.toBe(before.clientSecretEnc);
    expect(openClientSecret(after.clientSecretEnc, encryptionKey, tenantId)).toBe(credentials.clientSecret);
    expect(after.clientSecretSetAt.getTime()).toBeGreaterThan(before.clientSecretSetAt.getTime());

    // What the settings page renders holds neither the secret nor its sealed form.
    const view = JSON.stringify(await tenantSettings(h.db, { userId: owner.id, tenantId }));
    for (const secret of [credentials.clientSecret, "a-typo", after.clientSecretEnc, before.clientSecretEnc])
      expect(view).not.toContain(secret);
    const trail = await auditOf(tenantId);
    expect(trail.map((e) => e.action)).toEqual(["tenant.secret_rotate"]);
    expect(JSON.stringify(trail)).not.toContain(credentials.clientSecret);
    await h.db.delete(tenants).where(eq(tenants.id, tenantId));
  });

  it("refuses a secret that does not sign in and changes nothing", async () => {
    const owner = await createUser(h.db, "Owner");
    const { id: tenantId } = await createTestTenant(h.db, owner.id, emulatedCredentials(moving));
    const before = (await stored(tenantId))!;
    await expect(
      rotateClientSecret(h.db, { actor: actor(owner), tenantId, clientSecret: "wrong", encryptionKey, identity }),
    ).rejects.toThrow(/Nothing was changed.*client secret is wrong/);
    expect(await stored(tenantId)).toEqual(before);
    expect(await auditOf(tenantId)).toEqual([]);
    await h.db.delete(tenants).where(eq(tenants.id, tenantId));
  });
});

describe("changing the app id", () => {
  it("changes nothing when the new app does not sign in", async () => {
    const owner = await createUser(h.db, "Owner");
    const { id: tenantId } = await createTestTenant(h.db, owner.id, emulatedCredentials(moving));
    const before = (await stored(tenantId))!;
    const change = { actor: actor(owner), tenantId, encryptionKey, identity };
    await expect(
      changeAppId(h.db, { ...change, clientId: randomUUID(), clientSecret: emulatedCredentials(moving).clientSecret }),
    ).rejects.toThrow(/Nothing was changed.*application \(client\) ID was not found/);
    await expect(changeAppId(h.db, { ...change, clientId: "not-a-guid", clientSecret: "x" })).rejects.toThrow(
      InputError,
    );
    expect(await stored(tenantId)).toEqual(before);
    expect(await auditOf(tenantId)).toEqual([]);
    await h.db.delete(tenants).where(eq(tenants.id, tenantId));
  });

  it("stores an app that signs in, clears the old app's access report, and audits tenant.update", async () => {
    const owner = await createUser(h.db, "Owner");
    const credentials = emulatedCredentials(moving);
    const typo = randomUUID();
    const { id: tenantId } = await createTestTenant(h.db, owner.id, { ...credentials, clientId: typo });
    await changeAppId(h.db, {
      actor: actor(owner),
      tenantId,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      encryptionKey,
      identity,
    });
    const after = (await stored(tenantId))!;
    expect(after).toMatchObject({
      clientId: credentials.clientId,
      verificationStatus: "unverified",
      intuneStatus: null,
    });
    expect(openClientSecret(after.clientSecretEnc, encryptionKey, tenantId)).toBe(credentials.clientSecret);
    const trail = await auditOf(tenantId);
    expect(trail).toEqual([
      { action: "tenant.update", actor: owner.id, details: { clientId: { from: typo, to: credentials.clientId } } },
    ]);
    // The tenant now verifies with the new app.
    expect((await verify(owner, tenantId)).outcome).not.toBe("failed");
    await h.db.delete(tenants).where(eq(tenants.id, tenantId));
  });
});

describe("removing a tenant", () => {
  it("refuses a wrong name and writes nothing", async () => {
    const { owner, tenantId } = await team();
    const before = await stored(tenantId);
    for (const confirmName of ["", "Team", `${before!.displayName}x`, before!.displayName.toUpperCase(), undefined]) {
      await expect(removeTenant(h.db, { actor: actor(owner), tenantId, confirmName })).rejects.toThrow(
        "The name does not match; nothing was removed.",
      );
    }
    expect(await stored(tenantId)).toEqual(before);
    expect(await auditOf(tenantId)).toEqual([]);
  });

  it("deletes the tenant's runs, invites and memberships, and keeps its audit history", async () => {
    const { owner, tenantId } = await team();
    const name = (await stored(tenantId))!.displayName;
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.noop",
      inputs: { key: "before-removal" },
    });
    await waitForCompletion(h.db, run.id);
    await createInvite(h.db, { actor: actor(owner), tenantId, email: "later@example.test", role: "viewer" });

    const removed = await removeTenant(h.db, { actor: actor(owner), tenantId, confirmName: ` ${name} ` });
    expect(removed).toEqual({ runs: 1, backups: 0, policies: 0, invites: 1 });
    expect(await stored(tenantId)).toBeUndefined();
    const left = async (table: typeof operationRuns | typeof tenantInvites | typeof tenantMemberships) =>
      (await h.db.select({ n: sql<number>`count(*)::int` }).from(table).where(eq(table.tenantId, tenantId)))[0]!.n;
    expect([await left(operationRuns), await left(tenantInvites), await left(tenantMemberships)]).toEqual([0, 0, 0]);
    const trail = await auditOf(tenantId);
    expect(trail.map((e) => e.action)).toEqual(["run.start", "invite.create", "tenant.remove"]);
    expect(trail.at(-1)).toMatchObject({ actor: owner.id, details: { removed } });
  });

  it("refuses while a run is active, and removes once it was cancelled", async () => {
    const { owner, tenantId } = await team();
    const name = (await stored(tenantId))!.displayName;
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.wait",
      inputs: { key: "blocks-removal", waitMs: 60_000 },
    });
    await waitForStatus(h.db, { runId: run.id, status: "running" });
    await expect(removeTenant(h.db, { actor: actor(owner), tenantId, confirmName: name })).rejects.toThrow(
      "A run is still active for this tenant; nothing was removed.",
    );
    expect(await stored(tenantId)).toBeDefined();
    expect((await auditOf(tenantId)).map((e) => e.action)).toEqual(["run.start"]);

    await cancelRun(h.deps, { actor: actor(owner), tenantId, runId: run.id });
    await waitForCompletion(h.db, run.id);
    await removeTenant(h.db, { actor: actor(owner), tenantId, confirmName: name });
    expect(await stored(tenantId)).toBeUndefined();
  });
});

describe("only owners change settings", () => {
  it("refuses operators, viewers and outsiders for every change, and writes nothing", async () => {
    const { operator, viewer, outsider, tenantId } = await team();
    const before = await stored(tenantId);
    const name = before!.displayName;
    for (const [user, error] of [
      [operator, ForbiddenError],
      [viewer, ForbiddenError],
      [outsider, NotFoundError],
    ] as const) {
      const change = { actor: actor(user), tenantId, encryptionKey, identity };
      await expect(tenantSettings(h.db, { userId: user.id, tenantId })).rejects.toThrow(error);
      await expect(rotateClientSecret(h.db, { ...change, clientSecret: "new-secret" })).rejects.toThrow(error);
      await expect(changeAppId(h.db, { ...change, clientId: randomUUID(), clientSecret: "s" })).rejects.toThrow(error);
      await expect(removeTenant(h.db, { ...change, confirmName: name })).rejects.toThrow(error);
    }
    expect(await stored(tenantId)).toEqual(before);
    expect(await auditOf(tenantId)).toEqual([]);
  });

  it("shows a viewer's pages no secret material: neither the secret nor its sealed form", async () => {
    const { viewer, tenantId } = await team();
    const { clientSecretEnc } = (await stored(tenantId))!;
    const access = await requireTenantAccess(h.db, { userId: viewer.id, tenantId });
    const overview = await loadTenantOverview(h.db, { tenantId, role: access.role });
    const rendered = JSON.stringify({ access, overview });
    expect(rendered).toContain(access.tenant.clientId);
    for (const secret of ["test-secret", clientSecretEnc]) expect(rendered).not.toContain(secret);
  });
});
