"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { actorOf, requireUser } from "@/lib/auth/session";
import { publicMessage } from "@/lib/errors";
import { cancelRun, rerunRun } from "./control";
import { runUrl } from "./links";
import { operationDeps } from "./runtime";
import { startOperation } from "./start";

export type StartState = { error?: string; alreadyRunning?: string; started?: string } | undefined;

const target = z.object({ tenantId: z.uuid(), type: z.string().min(1).max(100) });

/**
 * The start surface of every operation: enqueue and go to the run. It never does the work.
 * When an equal run is already active, the form says so and links to that run instead. A form
 * inside a wizard sends `stay` and gets the run's link back instead of leaving the wizard.
 */
export async function startOperationAction(
  tenantId: string,
  type: string,
  _prev: StartState,
  formData: FormData,
): Promise<StartState> {
  const user = await requireUser();
  const parsedTarget = target.safeParse({ tenantId, type });
  if (!parsedTarget.success) return { error: "This operation cannot be started here." };
  let location: string;
  try {
    const rawInputs = formData.get("inputs");
    const inputs = typeof rawInputs === "string" && rawInputs ? JSON.parse(rawInputs) : {};
    const { run, created } = await startOperation(await operationDeps(), actorOf(user), tenantId, type, inputs);
    location = runUrl(tenantId, run.id);
    if (!created) return { alreadyRunning: location };
    if (formData.get("stay")) return { started: location };
  } catch (err) {
    return { error: err instanceof SyntaxError ? "The operation inputs are not valid." : publicMessage(err) };
  }
  redirect(location);
}

export type RunActionState = { error?: string; alreadyRunning?: string } | undefined;

const runTarget = z.object({ tenantId: z.uuid(), runId: z.uuid() });

export async function cancelRunAction(tenantId: string, runId: string): Promise<RunActionState> {
  const user = await requireUser();
  if (!runTarget.safeParse({ tenantId, runId }).success) return { error: "This run cannot be cancelled here." };
  try {
    await cancelRun(await operationDeps(), actorOf(user), tenantId, runId);
  } catch (err) {
    return { error: publicMessage(err) };
  }
  revalidatePath(runUrl(tenantId, runId));
  return undefined;
}

export async function rerunRunAction(tenantId: string, runId: string): Promise<RunActionState> {
  const user = await requireUser();
  if (!runTarget.safeParse({ tenantId, runId }).success) return { error: "This run cannot be re-run here." };
  let location: string;
  try {
    const { run, created } = await rerunRun(await operationDeps(), actorOf(user), tenantId, runId);
    location = runUrl(tenantId, run.id);
    if (!created) return { alreadyRunning: location };
  } catch (err) {
    return { error: publicMessage(err) };
  }
  redirect(location);
}
