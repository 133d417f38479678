import { OperationError } from "@/lib/operations/errors";
import { deleteBackupSetOnce, deletionCountOfRun } from "@/lib/retention/delete";
import type { BackupDeleteInputs } from "@/lib/retention/delete-check";
import { PROTECTION_MESSAGES } from "@/lib/retention/protected";
import type { OperationHandler } from "../types";

const REFUSALS = {
  ...PROTECTION_MESSAGES,
  in_use: "A restore started reading this backup: it was not deleted.",
  unsealed: "This backup is still being written: it was not deleted.",
  gone: "The backup no longer exists.",
};

/**
 * `backup_set.delete`: an owner's delete of one sealed set, checked again under its row lock (a pin,
 * a newer seal or a restore may have come since the start). A retry after the delete committed
 * finds this run's record of it and succeeds.
 */
export const deleteBackup: OperationHandler<BackupDeleteInputs> = async (ctx) => {
  const outcome = await deleteBackupSetOnce(ctx.db, {
    runId: ctx.run.id,
    tenantId: ctx.run.tenantId,
    backupSetId: ctx.inputs.backupSetId,
    reason: "owner",
  });
  if (!outcome.deleted && !(outcome.refused === "gone" && (await deletionCountOfRun(ctx.db, ctx.run.id)) > 0)) {
    throw new OperationError(`backup_${outcome.refused}`, REFUSALS[outcome.refused]);
  }
  await ctx.progress({ deleted: 1 });
};
