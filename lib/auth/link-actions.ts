"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { createLinkRequest } from "@/lib/account/link-requests";
import { defineAction } from "@/lib/safe-action";
import { inviteTokenSchema } from "@/lib/team/schema";
import { setFlowCookie } from "./flow-cookies";

const beginLink = defineAction(
  { input: z.object({ password: z.string().min(1).max(1000) }), invalid: "Enter your password." },
  async ({ password }, { actor }) => {
    await setFlowCookie("link", await createLinkRequest(getDb(), { actor, password }));
    return { ok: true as const };
  },
);

/**
 * Called right before "Sign in with Microsoft" from inside the console: link, don't switch
 * accounts. Linking takes the password again (a session left open is not enough); the browser
 * then signs in with Microsoft within five minutes.
 */
export async function beginMicrosoftLinkAction(input: { password: string }) {
  return beginLink(input);
}

/**
 * Signed out, on an invite link: the Microsoft sign-in that follows carries the invite's own token
 * (an httpOnly cookie), so a person without an account gets one and joins. The token is checked
 * by the sign-in, like any invite link.
 */
export async function beginMicrosoftInviteSignInAction(input: { token: string }) {
  const token = inviteTokenSchema.safeParse(input.token);
  if (!token.success) return { error: "This invite link is not valid." };
  await setFlowCookie("invite", token.data);
  return { ok: true as const };
}
