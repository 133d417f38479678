"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { actorOf, requireUser } from "@/lib/auth/session";
import { publicMessage } from "@/lib/errors";
import { runUrl } from "./links";
import { operationDeps } from "./runtime";
import { startOperation } from "./start";

export type StartState = { error?: string; alreadyRunning?: string } | undefined;

const target = z.object({ tenantId: z.uuid(), type: z.string().min(1).max(100) });

/**
 * The start surface of every operation: enqueue and go to the run. It never does the work.
 * When an equal run is already active, the form says so and links to that run instead.
 */
export async function startOperationAction(tenantId: string, type: string, _prev: StartState, formData: FormData): Promise<StartState> {
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
  } catch (err) {
    return { error: err instanceof SyntaxError ? "The operation inputs are not valid." : publicMessage(err) };
  }
  redirect(location);
}
