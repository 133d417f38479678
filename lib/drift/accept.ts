import "server-only";
import { and, eq, ne, or, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { type DriftFinding, driftBaselineEntries } from "@/db/schema";

/**
 * Makes what a finding saw the baseline for that policy, in one transaction: a changed or new
 * policy's content (as detection read it) becomes its entry under this tenant's policy id — the
 * entry it was matched with goes when that was another one (another id, or another tenant's entry,
 * whose id may equal one of this tenant's); an entry of another tenant is never overwritten; a missing
 * policy's entry is dropped. Running it again changes nothing more.
 */
export async function acceptFinding(
  db: DbOrTx,
  { tenantId, runId, finding }: { tenantId: string; runId: string; finding: DriftFinding },
) {
  await db.transaction(async (tx) => {
    if (finding.kind === "missing") {
      if (finding.baselineEntryId)
        await tx
          .delete(driftBaselineEntries)
          .where(
            and(eq(driftBaselineEntries.tenantId, tenantId), eq(driftBaselineEntries.id, finding.baselineEntryId)),
          );
      return;
    }
    if (!finding.policyId || !finding.currentContent) return;
    // The matched entry goes unless it is this very policy's own entry (which the upsert replaces).
    // Another tenant's entry goes even when its id equals this policy's: ids are per tenant.
    if (finding.baselineEntryId)
      await tx
        .delete(driftBaselineEntries)
        .where(
          and(
            eq(driftBaselineEntries.tenantId, tenantId),
            eq(driftBaselineEntries.id, finding.baselineEntryId),
            or(ne(driftBaselineEntries.policyId, finding.policyId), ne(driftBaselineEntries.sourceTenantId, tenantId)),
          ),
        );
    const entry = {
      sourceTenantId: tenantId,
      family: finding.family,
      name: finding.name,
      content: finding.currentContent,
      origin: "accepted" as const,
      acceptedRunId: runId,
    };
    await tx
      .insert(driftBaselineEntries)
      .values({ tenantId, policyId: finding.policyId, ...entry })
      .onConflictDoUpdate({
        target: [driftBaselineEntries.tenantId, driftBaselineEntries.sourceTenantId, driftBaselineEntries.policyId],
        set: { ...entry, createdAt: sql`now()` },
      });
  });
}
