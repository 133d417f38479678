import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { tenants } from "@/db/schema";

const CLAIM_INDEX = "tenants_claimed_guid_key";

/**
 * What a verification says when another registration already holds the GUID. It names no owner and
 * no console tenant, and only someone whose app just signed in to that Entra tenant ever reads it.
 */
export const GUID_HELD_ELSEWHERE =
  "This Microsoft Entra tenant is already connected to the console by another team. Ask one of its owners to invite you, or remove this registration.";

/** Whether an error (or one it wraps) is the claim index refusing a second holder of a GUID. */
function isClaimConflict(err: unknown): boolean {
  for (let e = err as { code?: string; constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505" && e.constraint === CLAIM_INDEX) return true;
  }
  return false;
}

/**
 * Claims the registration's tenant GUID. Call only after the app signed in to that Entra tenant:
 * the proof of control is what a claim rests on. The first registration to prove it holds the GUID
 * for as long as it exists; a claim, once made, survives later failed verifications (an expired
 * secret must not free the GUID for someone else). Returns false when another registration holds it.
 */
export async function claimTenantGuid(db: DbOrTx, tenantId: string): Promise<boolean> {
  try {
    // A savepoint when called inside a transaction: a refused claim does not abort the caller's.
    await db.transaction(async (tx) => {
      await tx
        .update(tenants)
        .set({ guidClaimedAt: new Date() })
        .where(and(eq(tenants.id, tenantId), isNull(tenants.guidClaimedAt)));
    });
    return true;
  } catch (err) {
    if (isClaimConflict(err)) return false;
    throw err;
  }
}
