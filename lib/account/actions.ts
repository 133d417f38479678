"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { reissueSession } from "@/lib/auth/session-token";
import { paths } from "@/lib/paths";
import { defineAction } from "@/lib/safe-action";
import { newPasswordSchema } from "@/lib/team/schema";
import { unlinkMicrosoftIdentity } from "./identities";
import { changePassword } from "./password";
import { signOutOtherSessions } from "./sessions";

// Every change is checked and audited in lib/account; these parse, then keep this session alive.

const passwordInput = z.object({ currentPassword: z.string().min(1).max(1000), newPassword: newPasswordSchema });

const changePasswordDefined = defineAction(
  { input: passwordInput, invalid: "Check the fields below." },
  async (input, { actor }) => {
    await reissueSession(await changePassword(getDb(), { actor, ...input }));
    return { ok: true as const };
  },
);

const signOutOthers = defineAction({ input: z.object({}), invalid: "" }, async (_input, { actor }) => {
  await reissueSession(await signOutOtherSessions(getDb(), { actor }));
  return { ok: true as const };
});

const unlink = defineAction(
  { input: z.object({ tenantGuid: z.string().min(1), objectId: z.string().min(1) }), invalid: "Choose an identity." },
  async (input, { actor }) => {
    await unlinkMicrosoftIdentity(getDb(), { actor, ...input });
    revalidatePath(paths.account());
    return { ok: true as const };
  },
);

export async function changePasswordAction(input: { currentPassword: string; newPassword: string }) {
  return changePasswordDefined(input);
}
export async function signOutOtherSessionsAction() {
  return signOutOthers({});
}
export async function unlinkIdentityAction(input: { tenantGuid: string; objectId: string }) {
  return unlink(input);
}
