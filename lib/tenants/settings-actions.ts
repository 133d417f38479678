"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { encryptionKey, graphConfig } from "@/lib/env";
import { paths } from "@/lib/paths";
import { defineAction } from "@/lib/safe-action";
import { changeAppId, removeTenant, rotateClientSecret } from "./settings";

// Authorization and validation live in lib/tenants/settings.ts; these only hand over. No answer
// carries a secret back: not the new one, not the old one.

const tenantId = z.uuid();

const rotate = defineAction(
  { input: z.object({ tenantId, clientSecret: z.string() }), invalid: "The form could not be read." },
  async (input, { actor }) => {
    await rotateClientSecret(getDb(), { actor, ...input, encryptionKey: encryptionKey(), identity: graphConfig() });
    revalidatePath(paths.tenantSettings(input.tenantId));
    return { ok: true as const };
  },
);

const changeApp = defineAction(
  {
    input: z.object({ tenantId, clientId: z.string(), clientSecret: z.string() }),
    invalid: "The form could not be read.",
  },
  async (input, { actor }) => {
    await changeAppId(getDb(), { actor, ...input, encryptionKey: encryptionKey(), identity: graphConfig() });
    revalidatePath(paths.tenant(input.tenantId), "layout");
    return { ok: true as const };
  },
);

const remove = defineAction(
  { input: z.object({ tenantId, confirmName: z.string() }), invalid: "The form could not be read." },
  async (input, { actor }) => {
    await removeTenant(getDb(), { actor, ...input });
    redirect(paths.tenants());
  },
);

export async function rotateSecretAction(input: { tenantId: string; clientSecret: string }) {
  return rotate(input);
}
export async function changeAppIdAction(input: { tenantId: string; clientId: string; clientSecret: string }) {
  return changeApp(input);
}
export async function removeTenantAction(input: { tenantId: string; confirmName: string }) {
  return remove(input);
}
