"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { startAction } from "@/lib/operations/start-action";
import { paths } from "@/lib/paths";
import { type ActionState, defineAction, field } from "@/lib/safe-action";
import { setDriftBaseline } from "./baseline";

const baselineForm = z.object({ tenantId: z.uuid(), backupSetId: z.uuid("Choose a backup.") });

const setBaseline = defineAction(
  { input: baselineForm, invalid: "Choose a backup to use as the baseline." },
  async ({ tenantId, backupSetId }, { actor }) => {
    const { policies } = await setDriftBaseline(getDb(), { actor, tenantId, backupSetId });
    revalidatePath(paths.drift(tenantId));
    return { done: `Baseline set: ${policies} policies.` };
  },
);

/** An owner chooses the tenant's drift baseline: a sealed backup of a tenant they can read. */
export async function setDriftBaselineAction(
  tenantId: string,
  _previous: ActionState<{ done?: string }>,
  form: FormData,
): Promise<ActionState<{ done?: string }>> {
  return setBaseline({ tenantId, backupSetId: field(form, "backupSetId") });
}

const DRIFT_STARTS = new Set(["drift.accept", "drift.revert"]);

/** Accept or Revert of one finding: a run each (the form names which, and the finding). */
export const startDriftAction = startAction({
  type: (form) => (DRIFT_STARTS.has(field(form, "type")) ? field(form, "type") : "drift.unknown"),
  inputs: (form) => ({ findingId: field(form, "findingId") }),
});
