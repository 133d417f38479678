import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, DbOrTx } from "@/db/client";
import { backupRetention } from "@/db/schema";
import { recordAudit, userAuditActor } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/actor";
import { InputError } from "@/lib/errors";
import { requireTenantAccess } from "@/lib/tenants/access";
import type { DeletionReason } from "./delete";

const limit = (max: number, what: string) =>
  z
    .number({ error: `A whole number of ${what}, or empty.` })
    .int(`A whole number of ${what}, or empty.`)
    .min(1, `At least 1 ${what.replace(/s$/, "")}, or empty to not limit by ${what}.`)
    .max(max, `At most ${max} ${what}.`)
    .nullable();

/** A tenant's backup retention as an owner sets it: either limit, both, or neither (keep everything). */
export const retentionPolicySchema = z
  .object({ keepDays: limit(36_500, "days"), keepCount: limit(100_000, "sets") })
  .strict();
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;

export const KEEP_EVERYTHING: RetentionPolicy = { keepDays: null, keepCount: null };

export async function retentionPolicyOf(db: DbOrTx, tenantId: string) {
  const [row] = await db.select().from(backupRetention).where(eq(backupRetention.tenantId, tenantId));
  return row ?? null;
}

/** Sets the tenant's backup retention (owners only), audited in the same transaction. */
export async function setRetentionPolicy(
  db: Db,
  { actor, tenantId, policy: raw }: { actor: Actor; tenantId: string; policy: unknown },
): Promise<RetentionPolicy> {
  await requireTenantAccess(db, { userId: actor.userId, tenantId, minRole: "owner" });
  const parsed = retentionPolicySchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError("Please correct the highlighted fields.", z.flattenError(parsed.error).fieldErrors);
  }
  const policy = parsed.data;
  await db.transaction(async (tx) => {
    await tx
      .insert(backupRetention)
      .values({ tenantId, ...policy, updatedByName: actor.name })
      .onConflictDoUpdate({
        target: backupRetention.tenantId,
        set: { ...policy, updatedByName: actor.name, updatedAt: sql`now()` },
      });
    await recordAudit(tx, {
      actor: userAuditActor(actor),
      tenantId,
      action: "backup.retention_change",
      target: { type: "tenant", id: tenantId },
      outcome: "success",
      clientAddress: actor.clientAddress,
      details: policy,
    });
  });
  return policy;
}

/**
 * The sealed sets past the policy, oldest first, with why. Pinned sets are neither candidates nor
 * counted among "the last N" (a pin is kept on top of the count). The newest set and any other
 * protection are enforced where each set is deleted (lib/retention/protected.ts), not here.
 */
export async function retentionCandidates(db: DbOrTx, tenantId: string, policy: RetentionPolicy) {
  if (policy.keepDays === null && policy.keepCount === null) return [];
  const { rows } = await db.execute<{ id: string; reason: DeletionReason }>(sql`
    with ranked as (
      select s.id, s.created_at, row_number() over (order by s.created_at desc, s.id desc) as rank
      from backup_sets s
      where s.tenant_id = ${tenantId} and s.completed_at is not null
        and not exists (select 1 from backup_pins p where p.backup_set_id = s.id)
    )
    select id, case when ${policy.keepCount}::int is not null and rank > ${policy.keepCount}::int
                    then 'beyond_count' else 'past_days' end as reason
    from ranked
    where (${policy.keepCount}::int is not null and rank > ${policy.keepCount}::int)
       or (${policy.keepDays}::int is not null and created_at < now() - make_interval(days => ${policy.keepDays}::int))
    order by created_at, id`);
  return rows;
}
