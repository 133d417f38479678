import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { requestClientAddress } from "@/lib/audit/request-address";
import type { Actor } from "@/lib/auth/actor";
import { actorOf, requireUser, type SessionUser } from "@/lib/auth/session";
import { type FieldErrors, InputError, publicMessage } from "@/lib/errors";

/**
 * The one shape of a server action: session → zod parse → body → errors mapped to what the
 * browser may see. Bodies throw domain errors (InputError, NotFoundError, ForbiddenError) or call
 * redirect(); they never build an error answer by hand.
 */

/** What an action answers when it does not navigate away; `Extra` is the action's own payload. */
export type ActionState<Extra extends object = object> =
  | ({ error?: string; fieldErrors?: FieldErrors } & Extra)
  | undefined;
export type ActionFailure = { error: string; fieldErrors?: FieldErrors };
export type ActionContext = { user: SessionUser; actor: Actor };

/** Turns a thrown error into a failure answer; returning undefined falls back to the default mapping. */
export type Refusal = (err: unknown) => string | undefined;

export function defineAction<Schema extends z.ZodType, Result>(
  config: { input: Schema; invalid: string; refuse?: Refusal },
  body: (input: z.output<Schema>, context: ActionContext) => Promise<Result>,
): (raw: z.input<Schema>) => Promise<Result | ActionFailure> {
  return async (raw) => {
    const user = await requireUser();
    const parsed = config.input.safeParse(raw);
    if (!parsed.success) {
      return { error: config.invalid, fieldErrors: z.flattenError(parsed.error).fieldErrors as FieldErrors };
    }
    try {
      // The actor carries the request's address down to the audit log; the data layer never reads headers.
      const actor = { ...actorOf(user), clientAddress: await requestClientAddress() };
      return await body(parsed.data, { user, actor });
    } catch (err) {
      // redirect() and notFound() travel as errors: let Next.js have them.
      unstable_rethrow(err);
      return actionFailure(err, config.refuse);
    }
  };
}

export function actionFailure(err: unknown, refuse?: Refusal): ActionFailure {
  const fieldErrors = err instanceof InputError && Object.keys(err.fieldErrors).length ? err.fieldErrors : undefined;
  const refused = refuse?.(err);
  if (refused) return { error: refused, fieldErrors };
  return { error: publicMessage(err), fieldErrors };
}

/**
 * A form's value as a string ("" when absent or a file). A forged action call may pass anything in
 * place of the form: it reads as an empty form, which the action's schema then refuses.
 */
export const field = (form: FormData, name: string) => {
  const value = form instanceof FormData ? form.get(name) : null;
  return typeof value === "string" ? value : "";
};

/** Every value of a repeated form field, as strings. */
export const fields = (form: FormData, name: string) =>
  form instanceof FormData ? form.getAll(name).filter((v): v is string => typeof v === "string") : [];
