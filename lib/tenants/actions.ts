"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { encryptionKey } from "@/lib/env";
import { paths } from "@/lib/paths";
import { type ActionState, defineAction, field } from "@/lib/safe-action";
import { createTenant } from "./service";

type TenantFormValues = { tenantGuid: string; displayName: string; clientId: string };
export type NewTenantState = ActionState<{ values?: TenantFormValues }>;

// The service validates the fields (tenantInputSchema); here only the form's shape.
const create = defineAction(
  { input: z.object({ form: z.instanceof(FormData) }), invalid: "The form could not be read." },
  async ({ form }, { user, actor }) => {
    const tenant = await createTenant(getDb(), {
      encryptionKey: encryptionKey(),
      ownerUserId: user.id,
      clientAddress: actor.clientAddress,
      input: {
        tenantGuid: field(form, "tenantGuid"),
        displayName: field(form, "displayName"),
        clientId: field(form, "clientId"),
        clientSecret: field(form, "clientSecret"),
      },
    });
    redirect(paths.tenant(tenant.id));
  },
);

export async function createTenantAction(_prev: NewTenantState, form: FormData): Promise<NewTenantState> {
  const failure = await create({ form });
  // The secret is never sent back to the browser, not even to refill the form.
  const values = {
    tenantGuid: field(form, "tenantGuid"),
    displayName: field(form, "displayName"),
    clientId: field(form, "clientId"),
  };
  return { ...failure, values };
}
