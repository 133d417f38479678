"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { actorOf, requireUser } from "@/lib/auth/session";
import { InputError, publicMessage } from "@/lib/errors";
import { runUrl } from "@/lib/operations/links";
import { operationDeps } from "@/lib/operations/runtime";
import { startOperation } from "@/lib/operations/start";

export type BackupState = { error?: string; alreadyRunning?: string } | undefined;

/**
 * Start surface of backup_set.create on the policies page: the checked policies ("selected") or
 * every policy in the inventory ("all"). Enqueues and goes to the run; never reads Graph itself.
 */
export async function startBackupAction(
  tenantId: string,
  _prev: BackupState,
  formData: FormData,
): Promise<BackupState> {
  const user = await requireUser();
  if (!z.uuid().safeParse(tenantId).success) return { error: "This backup cannot be started here." };
  const inputs = formData.get("mode") === "all" ? {} : { policyIds: formData.getAll("policyId").map(String) };
  let location: string;
  try {
    const { run, created } = await startOperation(
      await operationDeps(),
      actorOf(user),
      tenantId,
      "backup_set.create",
      inputs,
    );
    location = runUrl(tenantId, run.id);
    if (!created) return { alreadyRunning: location };
  } catch (err) {
    if (err instanceof InputError && err.fieldErrors.policyIds)
      return { error: "Choose at least one policy to back up (or back up all)." };
    return { error: publicMessage(err) };
  }
  redirect(location);
}
