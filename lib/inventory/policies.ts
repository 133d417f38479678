import "server-only";
import { createHash } from "node:crypto";
import { and, eq, inArray, not, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { lazyCommit } from "@/db/lazy-commit";
import { type PolicyFamily, policies, policyVersions } from "@/db/schema";
import { dropAssignmentTargets, replaceAssignmentTargets } from "@/lib/explorer/assignment-targets";
import { intuneType } from "@/lib/intune/types";
import { canonicalJson } from "@/lib/operations/identity";
import { maskOmaSecrets } from "@/lib/secrets/oma-settings";

/** One policy as read from Graph: its object, its paged part (settings, definition values) and assignments. */
export type PolicySnapshot = {
  family: PolicyFamily;
  body: Record<string, unknown> & { id: string };
  part?: unknown[];
  assignments: { target?: Record<string, unknown> }[];
};

const PLATFORMS: [RegExp, string][] = [
  [/windows/i, "Windows"],
  [/ios|iphone|ipad/i, "iOS"],
  [/android/i, "Android"],
  [/macos|^mac$/i, "macOS"],
];

export function platformOf(family: PolicyFamily, body: Record<string, unknown>): string {
  const fixed = intuneType(family).platform;
  if (fixed) return fixed;
  // An enrollment platform restriction names its platform in `platformType`.
  const hint = String(body.platforms ?? body.platformType ?? body["@odata.type"] ?? "");
  return PLATFORMS.find(([re]) => re.test(hint))?.[1] ?? "Other";
}

/** The content a version is made of, and its hash: equal content, equal hash, whatever the key order. */
export function snapshotContent(snapshot: PolicySnapshot) {
  // The response's @odata.context is about the request, not the policy. OMA ciphertexts are masked:
  // a version follows the secret's reference id, not whatever ciphertext this read returned.
  const content: Record<string, unknown> = { ...maskOmaSecrets(snapshot.body), assignments: snapshot.assignments };
  delete content["@odata.context"];
  const { pagedPart: part, computed = [] } = intuneType(snapshot.family);
  if (part) content[part.property] = snapshot.part ?? [];
  // What Intune refreshes itself (reports, counters) is stored but is no change of the policy.
  const hashed = Object.fromEntries(Object.entries(content).filter(([key]) => !computed.includes(key)));
  return { content, hash: createHash("sha256").update(canonicalJson(hashed)).digest("hex") };
}

const policyLabel = (row: { name: string; family: string; platform: string }) => ({
  policyName: row.name,
  family: row.family,
  platform: row.platform,
});

export type RecordResult = "created" | "updated" | "unchanged";

/** Rows per multi-row statement: far below PostgreSQL's 65,535 bound parameters at ~13 columns. */
const ROWS_PER_STATEMENT = 500;
const chunks = <T>(rows: T[]) =>
  Array.from({ length: Math.ceil(rows.length / ROWS_PER_STATEMENT) }, (_, i) =>
    rows.slice(i * ROWS_PER_STATEMENT, (i + 1) * ROWS_PER_STATEMENT),
  );

/**
 * Records what a sync saw of a page of policies, in one transaction of a few statements whatever
 * the page's size (a round trip per policy was most of a sync's cost: docs/benchmarks.md): a new
 * policy gets version 1, changed content appends the next version, unchanged content only notes that
 * this run saw it. Results are in the order of `snapshots`. An id listed twice is recorded twice,
 * in order, as two single reads would be.
 */
export async function recordPolicies(
  db: Db,
  { tenantId, runId, snapshots }: { tenantId: string; runId: string; snapshots: PolicySnapshot[] },
): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  for (const batch of distinctIdBatches(snapshots))
    results.push(...(await recordBatch(db, { tenantId, runId, batch })));
  return results;
}

/** Consecutive runs of snapshots without a repeated id (one statement cannot write a row twice). */
function distinctIdBatches(snapshots: PolicySnapshot[]): PolicySnapshot[][] {
  const batches: PolicySnapshot[][] = [];
  let seen = new Set<string>();
  for (const snapshot of snapshots) {
    if (seen.has(snapshot.body.id) || batches.length === 0) {
      batches.push([]);
      seen = new Set();
    }
    seen.add(snapshot.body.id);
    batches.at(-1)!.push(snapshot);
  }
  return batches;
}

async function recordBatch(
  db: Db,
  { tenantId, runId, batch }: { tenantId: string; runId: string; batch: PolicySnapshot[] },
): Promise<RecordResult[]> {
  const now = new Date();
  const rows = batch.map((snapshot) => {
    const { content, hash } = snapshotContent(snapshot);
    const body = snapshot.body;
    return {
      tenantId,
      id: body.id,
      family: snapshot.family,
      name: String(body[intuneType(snapshot.family).nameProperty] ?? body.displayName ?? body.name ?? "(unnamed)"),
      platform: platformOf(snapshot.family, body),
      odataType: String(body["@odata.type"] ?? ""),
      assigned: snapshot.assignments.length > 0,
      content,
      contentHash: hash,
      deleted: false,
      lastSeenRunId: runId,
      updatedAt: now,
    };
  });
  return lazyCommit(db, async (tx) => {
    // Locked in id order, so two writers of overlapping pages wait for each other instead of deadlocking.
    const existing = new Map(
      (
        await tx
          .select({
            id: policies.id,
            hash: policies.contentHash,
            versions: policies.versions,
            deleted: policies.deleted,
            family: policies.family,
          })
          .from(policies)
          .where(
            and(
              eq(policies.tenantId, tenantId),
              inArray(
                policies.id,
                rows.map((r) => r.id),
              ),
            ),
          )
          .orderBy(policies.id)
          .for("update")
      ).map((r) => [r.id, r]),
    );
    const results: RecordResult[] = [];
    const seenOnly: { id: string; family: PolicyFamily }[] = [];
    const written: ((typeof rows)[number] & { versions: number })[] = [];
    /** Policies whose explorer rows follow their content anew. */
    const retargeted: typeof rows = [];
    for (const row of rows) {
      const before = existing.get(row.id);
      if (before && before.hash === row.contentHash) {
        // The same content may now be known as a finer type (an update ring recorded as a device
        // configuration before the catalogue had update rings): no new version, but its type follows.
        seenOnly.push({ id: row.id, family: row.family });
        // A policy back from deleted had its assignment rows dropped; a retyped one's rows name its old type.
        if (before.deleted || before.family !== row.family) retargeted.push(row);
        results.push("unchanged");
        continue;
      }
      written.push({ ...row, versions: (before?.versions ?? 0) + 1 });
      retargeted.push(row);
      results.push(before ? "updated" : "created");
    }
    if (seenOnly.length)
      await tx.execute(sql`
        update ${policies} set last_seen_run_id = ${runId}, deleted = false, family = seen.family::policy_family
        from unnest(${sql.param(seenOnly.map((r) => r.id))}::text[], ${sql.param(seenOnly.map((r) => r.family))}::text[]) as seen(id, family)
        where ${policies.tenantId} = ${tenantId} and ${policies.id} = seen.id`);
    for (const chunk of chunks(written)) {
      await tx
        .insert(policies)
        .values(chunk)
        .onConflictDoUpdate({
          target: [policies.tenantId, policies.id],
          set: Object.fromEntries(WRITTEN_COLUMNS.map((c) => [c, sql.raw(`excluded.${policies[c].name}`)])),
        });
      await tx.insert(policyVersions).values(
        chunk.map((r) => ({
          tenantId,
          policyId: r.id,
          version: r.versions,
          contentHash: r.contentHash,
          content: r.content,
          runId,
        })),
      );
    }
    await replaceAssignmentTargets(
      tx,
      tenantId,
      retargeted.map((r) => ({ policyId: r.id, label: policyLabel(r), content: r.content })),
    );
    return results;
  });
}

/** What a new version overwrites of an existing policy row (never its first sighting). */
const WRITTEN_COLUMNS = [
  "family",
  "name",
  "platform",
  "odataType",
  "assigned",
  "content",
  "contentHash",
  "versions",
  "deleted",
  "lastSeenRunId",
  "updatedAt",
] as const;

/** A policy that could not be read completely this time: keep what we had, but do not call it gone. */
export async function markSeen(
  db: DbOrTx,
  { tenantId, runId, policyIds }: { tenantId: string; runId: string; policyIds: string[] },
) {
  if (policyIds.length === 0) return;
  await db
    .update(policies)
    .set({ lastSeenRunId: runId })
    .where(and(eq(policies.tenantId, tenantId), inArray(policies.id, policyIds)));
}

/**
 * After a sync: policies of the `families` it listed completely that the run did not see are gone
 * from Intune (a type Graph refused to list says nothing about its policies). Returns how many.
 */
export async function markUnseenDeleted(
  db: DbOrTx,
  { tenantId, runId, families }: { tenantId: string; runId: string; families: PolicyFamily[] },
): Promise<number> {
  if (families.length === 0) return 0;
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(policies)
      .set({ deleted: true, updatedAt: sql`now()` })
      .where(
        and(
          eq(policies.tenantId, tenantId),
          inArray(policies.family, families),
          not(policies.deleted),
          sql`${policies.lastSeenRunId} is distinct from ${runId}::uuid`,
        ),
      )
      .returning({ id: policies.id });
    await dropAssignmentTargets(
      tx,
      tenantId,
      rows.map((r) => r.id),
    );
    return rows.length;
  });
}
