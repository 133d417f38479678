"use server";

import { requestMicrosoftLink } from "./link";
import { requireUser } from "./session";

/** Called right before "Sign in with Microsoft" from inside the console: link, don't switch accounts. */
export async function beginMicrosoftLinkAction(): Promise<void> {
  const user = await requireUser();
  await requestMicrosoftLink(user.id);
}
