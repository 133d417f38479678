import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { type DriftFinding, driftBaselineEntries } from "@/db/schema";

/**
 * Makes what a finding saw the baseline for that policy, in one transaction: a changed or new
 * policy's content (as detection read it) becomes its entry under this tenant's policy id — the
 * entry it was matched with goes when that was another id (a cross-tenant baseline); a missing
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
    if (finding.baselineEntryId)
      await tx
        .delete(driftBaselineEntries)
        .where(
          and(
            eq(driftBaselineEntries.tenantId, tenantId),
            eq(driftBaselineEntries.id, finding.baselineEntryId),
            ne(driftBaselineEntries.policyId, finding.policyId),
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
        target: [driftBaselineEntries.tenantId, driftBaselineEntries.policyId],
        set: { ...entry, createdAt: sql`now()` },
      });
  });
}
