import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { backupSets } from "@/db/schema";
import { InputError, NotFoundError } from "@/lib/errors";
import { activeRestoreOf, backupSetProtection, PROTECTION_MESSAGES } from "./protected";

/**
 * The typed confirmation is part of the operation, not only of its form: any start surface (the
 * generic start action included) must carry the word, so a forged call cannot skip it.
 */
export const backupDeleteInputSchema = z
  .object({
    backupSetId: z.uuid(),
    confirm: z.string().refine((typed) => typed.trim().toLowerCase() === "delete", "Type delete to confirm."),
  })
  .strict();
export type BackupDeleteInputs = z.infer<typeof backupDeleteInputSchema>;

/**
 * Refuses a delete before anything is written: a set not in this tenant reads as not found (another
 * tenant's id included), an unsealed, protected or in-use one is refused with the reason. The run
 * checks all of it again under the set's row lock (lib/retention/delete.ts).
 */
export async function checkBackupDelete(
  db: DbOrTx,
  { tenantId, inputs }: { tenantId: string; inputs: BackupDeleteInputs },
) {
  const [set] = await db
    .select({ completedAt: backupSets.completedAt })
    .from(backupSets)
    .where(and(eq(backupSets.tenantId, tenantId), eq(backupSets.id, inputs.backupSetId)));
  if (!set) throw new NotFoundError("backup");
  if (!set.completedAt) throw new InputError("This backup is still being written (or its run did not finish).");
  const protection = await backupSetProtection(db, { tenantId, backupSetId: inputs.backupSetId });
  if (protection) throw new InputError(PROTECTION_MESSAGES[protection]);
  if (await activeRestoreOf(db, inputs.backupSetId)) {
    throw new InputError("A restore is reading this backup: delete it when the restore has finished.");
  }
}
