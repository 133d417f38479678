"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { encryptionKey } from "@/lib/env";
import { operationDeps } from "@/lib/operations/runtime";
import { paths } from "@/lib/paths";
import { defineAction } from "@/lib/safe-action";
import { createChannel, deleteChannel, rotateSigningSecret, sendTestAlert, updateChannel } from "./channels";

// Authorization and validation live in lib/alerts/channels.ts (after the role check); these only
// hand over. A signing secret leaves the server in the answer to create and rotate, once.

const tenantId = z.uuid();
const channelRef = z.object({ tenantId, channelId: z.string() });
const invalid = "The form could not be read.";

const create = defineAction(
  {
    input: z.object({ tenantId, name: z.string(), kind: z.string(), url: z.string(), rules: z.unknown() }),
    invalid,
  },
  async (input, { actor }) => {
    const created = await createChannel(getDb(), encryptionKey(), { actor, ...input });
    revalidatePath(paths.alerts(input.tenantId));
    return { channelId: created.id, signingSecret: created.signingSecret };
  },
);

const update = defineAction(
  { input: channelRef.extend({ name: z.string(), rules: z.unknown(), enabled: z.boolean() }), invalid },
  async (input, { actor }) => {
    await updateChannel(getDb(), { actor, ...input });
    revalidatePath(paths.alertChannel(input.tenantId, input.channelId));
    return { ok: true as const };
  },
);

const remove = defineAction({ input: channelRef, invalid }, async (input, { actor }) => {
  await deleteChannel(getDb(), { actor, ...input });
  revalidatePath(paths.alerts(input.tenantId));
  redirect(paths.alerts(input.tenantId));
});

const rotate = defineAction({ input: channelRef, invalid }, async (input, { actor }) => {
  const { signingSecret } = await rotateSigningSecret(getDb(), encryptionKey(), { actor, ...input });
  revalidatePath(paths.alertChannel(input.tenantId, input.channelId));
  return { signingSecret };
});

const test = defineAction({ input: channelRef, invalid }, async (input, { actor }) => {
  const { boss } = await operationDeps();
  const { deliveryId } = await sendTestAlert(getDb(), boss, { actor, ...input });
  revalidatePath(paths.alertChannel(input.tenantId, input.channelId));
  return { deliveryId };
});

export type ChannelInput = {
  tenantId: string;
  name: string;
  kind: string;
  url: string;
  rules: {
    runFailed: boolean;
    runPartiallySucceeded: boolean;
    operationTypes: string[];
    driftDetected: boolean;
    scheduleOverdue: boolean;
  };
};

export async function createAlertChannelAction(input: ChannelInput) {
  return create(input);
}
export async function updateAlertChannelAction(
  input: Omit<ChannelInput, "kind" | "url"> & { channelId: string; enabled: boolean },
) {
  return update(input);
}
export async function deleteAlertChannelAction(input: { tenantId: string; channelId: string }) {
  return remove(input);
}
export async function rotateAlertSecretAction(input: { tenantId: string; channelId: string }) {
  return rotate(input);
}
export async function sendTestAlertAction(input: { tenantId: string; channelId: string }) {
  return test(input);
}
