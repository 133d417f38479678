"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requestClientAddress } from "@/lib/audit/request-address";
import { paths } from "@/lib/paths";
import { actionFailure, defineAction } from "@/lib/safe-action";
import { acceptInvite, createAccountFromInvite, createInvite, revokeInvite } from "./invites";
import { changeMemberRole, removeMember } from "./members";
import { emailSchema, inviteTokenSchema, nameSchema, newPasswordSchema, roleSchema } from "./schema";

// Authorization lives in lib/team (requireTenantAccess); these only parse and hand over.

const tenantId = z.uuid();
const inviteInput = z.object({ tenantId, email: emailSchema, role: roleSchema });
const roleInput = z.object({ tenantId, memberId: z.uuid(), role: roleSchema });

const invite = defineAction(
  {
    input: inviteInput,
    invalid: "Enter an email address and a role.",
  },
  async (input, { actor }) => {
    const invite = await createInvite(getDb(), { actor, ...input });
    revalidatePath(paths.members(input.tenantId));
    // The token leaves the server this once; the browser turns it into a link on its own origin.
    return { token: invite.token, email: input.email, expiresAt: invite.expiresAt.toISOString() };
  },
);

const revoke = defineAction(
  { input: z.object({ tenantId, inviteId: z.uuid() }), invalid: "The invite could not be read." },
  async (input, { actor }) => {
    await revokeInvite(getDb(), { actor, ...input });
    revalidatePath(paths.members(input.tenantId));
    return { ok: true as const };
  },
);

const changeRole = defineAction({ input: roleInput, invalid: "Choose a role." }, async (input, { actor }) => {
  await changeMemberRole(getDb(), { actor, ...input });
  revalidatePath(paths.members(input.tenantId));
  return { ok: true as const };
});

const remove = defineAction(
  { input: z.object({ tenantId, memberId: z.uuid() }), invalid: "The member could not be read." },
  async (input, { user, actor }) => {
    await removeMember(getDb(), { actor, ...input });
    // Whoever left no longer sees the tenant.
    if (input.memberId === user.id) redirect(paths.tenants());
    revalidatePath(paths.members(input.tenantId));
    return { ok: true as const };
  },
);

const accept = defineAction(
  { input: z.object({ token: inviteTokenSchema }), invalid: "This invite link is not valid." },
  async ({ token }, { actor }) => {
    const joined = await acceptInvite(getDb(), { token, actor });
    redirect(paths.tenant(joined.tenantId));
  },
);

/** Signed out: makes the password account (the invite fixes its email); the browser then signs in. */
export async function createAccountFromInviteAction(raw: { token: string; name: string; password: string }) {
  const parsed = z.object({ token: inviteTokenSchema, name: nameSchema, password: newPasswordSchema }).safeParse(raw);
  if (!parsed.success) {
    return { error: "Check the fields below.", fieldErrors: z.flattenError(parsed.error).fieldErrors };
  }
  try {
    const created = await createAccountFromInvite(getDb(), {
      ...parsed.data,
      clientAddress: await requestClientAddress(),
    });
    return { email: created.email, tenantId: created.tenantId };
  } catch (err) {
    return actionFailure(err);
  }
}

export async function inviteMemberAction(input: z.input<typeof inviteInput>) {
  return invite(input);
}
export async function revokeInviteAction(input: { tenantId: string; inviteId: string }) {
  return revoke(input);
}
export async function changeRoleAction(input: { tenantId: string; memberId: string; role: string }) {
  return changeRole(input as z.input<typeof roleInput>);
}
export async function removeMemberAction(input: { tenantId: string; memberId: string }) {
  return remove(input);
}
export async function acceptInviteAction(input: { token: string }) {
  return accept(input);
}
