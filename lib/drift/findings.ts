import "server-only";
import { and, asc, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import {
  type DriftSettingChange,
  driftBaselines,
  driftFindings,
  entraGroups,
  operationRuns,
  type PolicyFamily,
} from "@/db/schema";
import { InputError } from "@/lib/errors";

export type FindingInput = {
  kind: "changed" | "missing" | "new";
  family: PolicyFamily;
  name: string;
  policyId: string | null;
  baselineEntryId: string | null;
  changes: DriftSettingChange[];
  currentContent: Record<string, unknown> | null;
};

/**
 * The run's findings, all at once: whatever an earlier attempt of the same run wrote is replaced in
 * the same transaction, so a retried detect ends with exactly one set.
 */
export async function replaceRunFindings(
  db: DbOrTx,
  { tenantId, runId, findings }: { tenantId: string; runId: string; findings: FindingInput[] },
) {
  await db.transaction(async (tx) => {
    await tx.delete(driftFindings).where(eq(driftFindings.runId, runId));
    for (let i = 0; i < findings.length; i += 500)
      await tx.insert(driftFindings).values(findings.slice(i, i + 500).map((f) => ({ ...f, tenantId, runId })));
  });
}

/** Group display names by id in a tenant's directory cache, for the ids an assignment names. */
export async function groupNameMap(db: DbOrTx, tenantId: string, groupIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(groupIds)].filter((id) => z.uuid().safeParse(id).success);
  const rows = ids.length
    ? await db
        .select({ id: entraGroups.id, name: entraGroups.displayName })
        .from(entraGroups)
        .where(and(eq(entraGroups.tenantId, tenantId), inArray(entraGroups.id, ids)))
    : [];
  return new Map(rows.map((r) => [r.id, r.name]));
}

// The normaliser's GroupName, spelled out: this module is imported by the registry (start checks),
// which monitoring pages import, and normalize.ts pulls in Graph code (tests/monitoring-imports.test.ts).
export async function groupNamesIn(
  db: DbOrTx,
  tenantId: string,
  groupIds: string[],
): Promise<(groupId: string) => string | undefined> {
  const names = await groupNameMap(db, tenantId, groupIds);
  return (id) => names.get(id);
}

/** The group ids a stored policy names: its assignments' and its compliance actions' notified groups. */
export function referencedGroupIds(content: Record<string, unknown>): string[] {
  const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
  const assigned = list(content.assignments).map((a) => (a.target as { groupId?: unknown } | undefined)?.groupId);
  const notified = list(content.scheduledActionsForRule).flatMap((rule) =>
    list(rule.scheduledActionConfigurations).flatMap((action) => list(action.notificationMessageCCList)),
  );
  return [...assigned, ...notified].filter((id): id is string => typeof id === "string");
}

/** The tenant's latest completed drift.detect that got to compare (succeeded or partly). */
export async function latestDetectRun(db: DbOrTx, tenantId: string) {
  const [run] = await db
    .select()
    .from(operationRuns)
    .where(
      and(
        eq(operationRuns.tenantId, tenantId),
        eq(operationRuns.type, "drift.detect"),
        eq(operationRuns.status, "completed"),
        inArray(operationRuns.outcome, ["succeeded", "partially_succeeded"]),
        isNotNull(operationRuns.completedAt),
      ),
    )
    .orderBy(desc(operationRuns.completedAt))
    .limit(1);
  return run ?? null;
}

/** The findings of one run, in kind then name order. */
export function findingsOfRun(db: DbOrTx, { tenantId, runId }: { tenantId: string; runId: string }) {
  return db
    .select({
      id: driftFindings.id,
      kind: driftFindings.kind,
      family: driftFindings.family,
      name: driftFindings.name,
      policyId: driftFindings.policyId,
      baselineEntryId: driftFindings.baselineEntryId,
      changes: driftFindings.changes,
    })
    .from(driftFindings)
    .where(and(eq(driftFindings.tenantId, tenantId), eq(driftFindings.runId, runId)))
    .orderBy(asc(driftFindings.kind), asc(driftFindings.name));
}

const UNKNOWN_FINDING = "This drift finding is not one of the tenant's: detect drift again.";

/** One finding of the tenant (for Accept and Revert); the same refusal for anything else. */
export async function findingOf(db: DbOrTx, { tenantId, findingId }: { tenantId: string; findingId: string }) {
  if (!z.uuid().safeParse(findingId).success) throw new InputError(UNKNOWN_FINDING);
  const [finding] = await db
    .select()
    .from(driftFindings)
    .where(and(eq(driftFindings.tenantId, tenantId), eq(driftFindings.id, findingId)));
  if (!finding) throw new InputError(UNKNOWN_FINDING);
  return finding;
}

/**
 * A finding Accept or Revert may act on: one of the tenant's latest detect, found against the
 * baseline as it is now, and not already accepted or reverted. The page keeps showing a finding
 * until the next detect: without this, a second Revert of a missing policy (or a Re-run of the
 * first) would create it again, and an Accept from before a baseline change would overwrite the
 * new baseline with what an old detect saw.
 */
export async function actionableFindingOf(
  db: DbOrTx,
  { tenantId, findingId }: { tenantId: string; findingId: string },
) {
  const finding = await findingOf(db, { tenantId, findingId });
  const latest = await latestDetectRun(db, tenantId);
  const [baseline] = await db
    .select({ setAt: driftBaselines.setAt })
    .from(driftBaselines)
    .where(eq(driftBaselines.tenantId, tenantId));
  if (!latest || latest.id !== finding.runId || !baseline || latest.createdAt < baseline.setAt)
    throw new InputError("This finding is from an earlier detection or baseline: detect drift again.");
  const [done] = await db
    .select({ type: operationRuns.type })
    .from(operationRuns)
    .where(
      and(
        eq(operationRuns.tenantId, tenantId),
        inArray(operationRuns.type, ["drift.accept", "drift.revert"]),
        // Partly is done too: a Revert whose assignments could not be carried over wrote the policy.
        inArray(operationRuns.outcome, ["succeeded", "partially_succeeded"]),
        sql`${operationRuns.inputs} ->> 'findingId' = ${findingId}`,
      ),
    )
    .limit(1);
  if (done)
    throw new InputError(
      `This finding was already ${done.type === "drift.accept" ? "accepted" : "reverted"}: detect drift again to see the tenant as it is now.`,
    );
  return finding;
}

export const findingInputSchema = z.object({ findingId: z.uuid("Choose a drift finding.") }).strict();

/** drift.accept's start check: the finding is the tenant's, current, and not yet acted on. */
export const checkAcceptStart = (
  db: DbOrTx,
  { tenantId, inputs }: { tenantId: string; inputs: { findingId: string } },
) => actionableFindingOf(db, { tenantId, findingId: inputs.findingId });

/**
 * drift.revert's start check: the finding is the tenant's and has a baseline version to go back to.
 * A policy new in the tenant has none: reverting it would mean deleting it, which the console does
 * not do for drift (accept it, or delete it in Intune).
 */
export async function checkRevertStart(
  db: DbOrTx,
  { tenantId, inputs }: { tenantId: string; inputs: { findingId: string } },
) {
  const finding = await actionableFindingOf(db, { tenantId, findingId: inputs.findingId });
  if (finding.kind === "new")
    throw new InputError(
      "A policy new in the tenant has no baseline version to revert to: accept it, or delete it in Intune.",
    );
  return finding;
}
