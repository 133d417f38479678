"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { InputError } from "@/lib/errors";
import { operationDeps } from "@/lib/operations/runtime";
import { SYSTEM_ACTOR, startOperation } from "@/lib/operations/start";
import { startAction } from "@/lib/operations/start-action";
import { paths } from "@/lib/paths";
import { defineAction, field } from "@/lib/safe-action";
import { requireTenantAccess } from "@/lib/tenants/access";
import { setBackupPin } from "./pins";
import { setRetentionPolicy } from "./policy";

// Authorization and validation live in lib/retention (pins.ts, policy.ts, delete-check.ts); these hand over.

const tenantId = z.uuid();

/** An empty field is "no limit"; anything else must read as a number (the policy schema judges it). */
const limitField = (form: FormData, name: string) => {
  const value = field(form, name).trim();
  return value === "" ? null : Number(value);
};

const retention = defineAction(
  { input: z.object({ tenantId, form: z.instanceof(FormData) }), invalid: "The form could not be read." },
  async ({ tenantId, form }, { actor }) => {
    const policy = await setRetentionPolicy(getDb(), {
      actor,
      tenantId,
      policy: { keepDays: limitField(form, "keepDays"), keepCount: limitField(form, "keepCount") },
    });
    // The new policy applies now rather than at the next daily firing: a system run, like the firing's.
    if (policy.keepDays !== null || policy.keepCount !== null) {
      await startOperation(await operationDeps(), { actor: SYSTEM_ACTOR, tenantId, type: "retention.apply" });
    }
    revalidatePath(paths.backups(tenantId));
    return { ok: true as const };
  },
);

const pin = defineAction(
  {
    input: z.object({ tenantId, backupSetId: z.string(), pinned: z.boolean() }),
    invalid: "The backup could not be read.",
  },
  async (input, { actor }) => {
    await setBackupPin(getDb(), { actor, ...input });
    revalidatePath(paths.backups(input.tenantId));
    return { ok: true as const };
  },
);

export async function setRetentionAction(tenantId: string, form: FormData) {
  return retention({ tenantId, form });
}
export async function setBackupPinAction(input: { tenantId: string; backupSetId: string; pinned: boolean }) {
  return pin(input);
}

/** Start surface of backup_set.delete on a backup's page; the form must carry the typed confirmation. */
export const deleteBackupAction = startAction({
  type: "backup_set.delete",
  inputs: async (form, { tenantId, actor }) => {
    // The page asks for the word typed; a forged call without it is refused the same way (after
    // the role check, so a non-owner hears "forbidden" whatever they typed).
    await requireTenantAccess(getDb(), { userId: actor.userId, tenantId, minRole: "owner" });
    if (field(form, "confirm").trim().toLowerCase() !== "delete") {
      throw new InputError("The delete was not confirmed.", { confirm: ["Type delete to confirm."] });
    }
    return { backupSetId: field(form, "backupSetId"), confirm: field(form, "confirm") };
  },
});
