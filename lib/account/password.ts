import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { recordAccountChange } from "./audit";
import { reauthenticate } from "./reauthenticate";
import { bumpSessionEpoch } from "./sessions";

/**
 * Changes the signed-in user's password (the current one is required) and signs out their other
 * sessions: whoever knew the old password may be signed in somewhere. Answers the new epoch for the
 * caller's own session. The new password is validated by the action (lib/team/schema.ts).
 */
export async function changePassword(
  db: Db,
  { actor, currentPassword, newPassword }: { actor: Actor; currentPassword: string; newPassword: string },
): Promise<number> {
  await reauthenticate(db, { actor, password: currentPassword, action: "auth.password_change" });
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.userId));
    const epoch = await bumpSessionEpoch(tx, actor.userId);
    await recordAccountChange(tx, { actor, action: "auth.password_change", details: { otherSessionsSignedOut: true } });
    return epoch;
  });
}
