"use server";

import { InvalidInputsError } from "@/lib/errors";
import { startAction } from "@/lib/operations/start-action";
import { fields } from "@/lib/safe-action";

/**
 * Start surface of backup_set.create on the policies page: the checked policies ("selected") or
 * every policy in the inventory ("all"). Enqueues and goes to the run; never reads Graph itself.
 */
export const startBackupAction = startAction({
  type: "backup_set.create",
  inputs: (form) => (form.get("mode") === "all" ? {} : { policyIds: fields(form, "policyId") }),
  refuse: (err) =>
    err instanceof InvalidInputsError && err.fieldErrors.policyIds
      ? "Choose at least one policy to back up (or back up all)."
      : undefined,
});
