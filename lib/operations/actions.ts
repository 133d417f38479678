"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { InputError } from "@/lib/errors";
import { paths } from "@/lib/paths";
import { type ActionState, defineAction, field } from "@/lib/safe-action";
import { cancelRun, rerunRun } from "./control";
import { operationDeps } from "./runtime";
import { landOnRun, startAction } from "./start-action";

/**
 * The generic start surface (StartOperationButton): the type and JSON inputs come from the form.
 * It enqueues and goes to the run; it never does the work.
 */
export const startOperationAction = startAction({
  type: (form) => field(form, "type"),
  inputs: (form) => {
    const json = field(form, "inputs");
    try {
      return json ? JSON.parse(json) : {};
    } catch {
      throw new InputError("The operation inputs are not valid.");
    }
  },
});

const runTarget = z.object({ tenantId: z.uuid(), runId: z.uuid() });

const cancel = defineAction(
  { input: runTarget, invalid: "This run cannot be cancelled here." },
  async ({ tenantId, runId }, { actor }) => {
    await cancelRun(await operationDeps(), { actor, tenantId, runId });
    revalidatePath(paths.run(tenantId, runId));
    return undefined;
  },
);

const rerun = defineAction(
  { input: runTarget, invalid: "This run cannot be re-run here." },
  async ({ tenantId, runId }, { actor }) =>
    landOnRun(await rerunRun(await operationDeps(), { actor, tenantId, runId })),
);

export async function cancelRunAction(tenantId: string, runId: string): Promise<ActionState> {
  return cancel({ tenantId, runId });
}

/** Starts the same operation again and goes to the new run (or to the equal run already active). */
export async function rerunRunAction(tenantId: string, runId: string): Promise<ActionState> {
  return rerun({ tenantId, runId });
}
