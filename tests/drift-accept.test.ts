import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DriftFinding, driftBaselineEntries } from "@/db/schema";
import { acceptFinding } from "@/lib/drift/accept";
import { startOperation } from "@/lib/operations/start";
import { actor, createTestTenant, createUser, openHarness } from "./support/harness";

let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

/**
 * Scope tag ids are small numbers each tenant hands out: Lab's tag "3" and Works' tag "3" are two
 * different tags. A baseline copied from Lab's backup keeps Lab's ids; accepting what Works has must
 * never overwrite one of those entries because Works uses the same id for something else.
 */
describe("accepting a finding against another tenant's baseline", () => {
  async function setUp() {
    const owner = await createUser(h.db, "Drift owner");
    const works = await createTestTenant(h.db, owner.id, { displayName: "Works" });
    const lab = await createTestTenant(h.db, owner.id, { displayName: "Lab" });
    const labEntry = async (policyId: string, name: string) => {
      const [entry] = await h.db
        .insert(driftBaselineEntries)
        .values({
          tenantId: works.id,
          sourceTenantId: lab.id,
          policyId,
          family: "scope_tag",
          name,
          content: { id: policyId, displayName: name },
          origin: "backup",
        })
        .returning();
      return entry!;
    };
    const finding = (f: Pick<DriftFinding, "kind" | "policyId" | "name" | "baselineEntryId">) =>
      ({
        family: "scope_tag",
        currentContent: { id: f.policyId, displayName: f.name },
        ...f,
      }) as unknown as DriftFinding;
    const entries = async () =>
      (await h.db.select().from(driftBaselineEntries).where(eq(driftBaselineEntries.tenantId, works.id)))
        .map((e) => `${e.sourceTenantId === lab.id ? "lab" : "works"}:${e.policyId}:${e.name}`)
        .sort();
    // The accepting run (queued: no worker runs here).
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId: works.id,
      type: "test.noop",
      inputs: { key: crypto.randomUUID() },
    });
    const accept = (f: DriftFinding) => acceptFinding(h.db, { tenantId: works.id, runId: run.id, finding: f });
    return { labEntry, finding, entries, accept };
  }

  it("keeps Lab's tag 3 when Works' own tag 3 is accepted as new", async () => {
    const { labEntry, finding, entries, accept } = await setUp();
    await labEntry("3", "Pilot");
    await accept(finding({ kind: "new", policyId: "3", name: "Europe", baselineEntryId: null }));
    expect(await entries()).toEqual(["lab:3:Pilot", "works:3:Europe"]);
  });

  it("replaces only the entry a changed tag was paired with by name, never Lab's other tag of Works' id", async () => {
    const { labEntry, finding, entries, accept } = await setUp();
    const pilot = await labEntry("3", "Pilot");
    await labEntry("5", "Finance");
    // Works' Pilot is its tag 5: paired with Lab's Pilot (3) by name.
    await accept(finding({ kind: "changed", policyId: "5", name: "Pilot", baselineEntryId: pilot.id }));
    expect(await entries()).toEqual(["lab:5:Finance", "works:5:Pilot"]);
  });

  it("leaves one entry when the paired tags happen to share their id", async () => {
    const { labEntry, finding, entries, accept } = await setUp();
    const pilot = await labEntry("3", "Pilot");
    await accept(finding({ kind: "changed", policyId: "3", name: "Pilot", baselineEntryId: pilot.id }));
    await accept(finding({ kind: "changed", policyId: "3", name: "Pilot", baselineEntryId: pilot.id }));
    expect(await entries()).toEqual(["works:3:Pilot"]);
  });
});
