"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { encryptionKey } from "@/lib/env";
import { type FieldErrors, InputError, publicMessage } from "@/lib/errors";
import { tenantUrl } from "@/lib/operations/links";
import { createTenant } from "./service";

export type NewTenantState =
  | {
      error?: string;
      fieldErrors?: FieldErrors;
      values?: { tenantGuid: string; displayName: string; clientId: string };
    }
  | undefined;

export async function createTenantAction(_prev: NewTenantState, formData: FormData): Promise<NewTenantState> {
  const user = await requireUser();
  const raw = {
    tenantGuid: String(formData.get("tenantGuid") ?? ""),
    displayName: String(formData.get("displayName") ?? ""),
    clientId: String(formData.get("clientId") ?? ""),
    clientSecret: String(formData.get("clientSecret") ?? ""),
  };
  // The secret is never sent back to the browser, not even to refill the form.
  const values = { tenantGuid: raw.tenantGuid, displayName: raw.displayName, clientId: raw.clientId };
  let tenantId: string;
  try {
    tenantId = (await createTenant(getDb(), encryptionKey(), user.id, raw)).id;
  } catch (err) {
    if (err instanceof InputError) return { error: err.message, fieldErrors: err.fieldErrors, values };
    return { error: publicMessage(err), values };
  }
  redirect(tenantUrl(tenantId));
}
