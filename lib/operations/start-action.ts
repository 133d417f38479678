import "server-only";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { JOINED_PARAM, paths } from "@/lib/paths";
import { type ActionState, defineAction, type Refusal } from "@/lib/safe-action";
import { operationDeps } from "./runtime";
import { type StartResult, startOperation } from "./start";

/**
 * What a start surface shows when it stays on its page: an error, or — inside a wizard that asked
 * to stay — the link to the run it started or joined.
 */
export type StartState = ActionState<{ run?: { href: string; created: boolean } }>;

/**
 * Where a start lands: the run's page — also when an equal run was already active, then with a
 * banner saying so. A form inside a wizard sends `stay` and gets the run's link back instead.
 */
export function landOnRun({ run, created }: StartResult, stay = false): StartState {
  const href = paths.run(run.tenantId, run.id);
  if (stay) return { run: { href, created } };
  redirect(created ? href : paths.run(run.tenantId, run.id, { [JOINED_PARAM]: 1 }));
}

const startTarget = z.object({ tenantId: z.uuid(), stay: z.boolean(), form: z.instanceof(FormData) });

/**
 * A start surface's server action, bound to a tenant: `(tenantId, previousState, formData)`.
 * `type` and `inputs` read the form; the inputs are validated by the operation's own schema in
 * `startOperation`, and `refuse` may phrase a refusal for this form.
 */
export function startAction(config: {
  type: string | ((form: FormData) => string);
  /** May look things up (after its own authorization: the start's check comes later). */
  inputs: (form: FormData, context: { tenantId: string; actor: Actor }) => unknown;
  refuse?: Refusal;
}) {
  const start = defineAction(
    { input: startTarget, invalid: "This operation cannot be started here.", refuse: config.refuse },
    async ({ tenantId, stay, form }, { actor }) => {
      const type = typeof config.type === "string" ? config.type : config.type(form);
      const result = await startOperation(await operationDeps(), {
        actor,
        tenantId,
        type,
        inputs: await config.inputs(form, { tenantId, actor }),
      });
      return landOnRun(result, stay);
    },
  );
  return async (tenantId: string, _previous: StartState, form: FormData): Promise<StartState> =>
    // A forged call may pass anything as `form`: the schema refuses it instead of a TypeError here.
    start({ tenantId, stay: form instanceof FormData && form.has("stay"), form });
}
