import "server-only";
import { createHash } from "node:crypto";
import { and, eq, inArray, not, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
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

/**
 * Records what a sync saw of one policy: a new policy gets version 1, changed content appends the
 * next version, unchanged content only notes that this run saw it.
 */
export async function recordPolicy(
  db: DbOrTx,
  { tenantId, runId, snapshot }: { tenantId: string; runId: string; snapshot: PolicySnapshot },
): Promise<RecordResult> {
  const { content, hash } = snapshotContent(snapshot);
  const body = snapshot.body;
  const row = {
    family: snapshot.family,
    name: String(body[intuneType(snapshot.family).nameProperty] ?? body.displayName ?? body.name ?? "(unnamed)"),
    platform: platformOf(snapshot.family, body),
    odataType: String(body["@odata.type"] ?? ""),
    assigned: snapshot.assignments.length > 0,
    content,
    contentHash: hash,
    deleted: false,
    lastSeenRunId: runId,
    updatedAt: new Date(),
  };
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({
        hash: policies.contentHash,
        versions: policies.versions,
        deleted: policies.deleted,
        family: policies.family,
      })
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), eq(policies.id, body.id)))
      .for("update");
    if (existing && existing.hash === hash) {
      // The same content may now be known as a finer type (an update ring recorded as a device
      // configuration before the catalogue had update rings): no new version, but its type follows.
      const retyped = existing.family !== row.family;
      await tx
        .update(policies)
        .set({ lastSeenRunId: runId, deleted: false, ...(retyped ? { family: row.family } : {}) })
        .where(and(eq(policies.tenantId, tenantId), eq(policies.id, body.id)));
      // A policy back from deleted had its assignment rows dropped; a retyped one's rows name its old type.
      if (existing.deleted || retyped)
        await replaceAssignmentTargets(tx, { tenantId, policyId: body.id, label: policyLabel(row), content });
      return "unchanged";
    }
    const version = (existing?.versions ?? 0) + 1;
    if (existing) {
      await tx
        .update(policies)
        .set({ ...row, versions: version })
        .where(and(eq(policies.tenantId, tenantId), eq(policies.id, body.id)));
    } else {
      await tx.insert(policies).values({ ...row, tenantId, id: body.id, versions: version });
    }
    await tx.insert(policyVersions).values({ tenantId, policyId: body.id, version, contentHash: hash, content, runId });
    await replaceAssignmentTargets(tx, { tenantId, policyId: body.id, label: policyLabel(row), content });
    return existing ? "updated" : "created";
  });
}

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
