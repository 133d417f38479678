export type MicrosoftAccountRefusal =
  | "no_tenant"
  | "no_email"
  | "email_taken"
  | "not_allowed"
  | "linked_elsewhere"
  | "link_expired";

/** What the sign-in page says about a refused Microsoft sign-in (the code travels in its URL). */
export const MICROSOFT_REFUSALS: Record<MicrosoftAccountRefusal, string> = {
  no_tenant: "Microsoft did not say which organisation and account this is, so it cannot be used to sign in.",
  no_email: "The Microsoft account has no usable email address for a new console account.",
  email_taken:
    "A console account with this email already exists. Sign in to it with its password, then link your Microsoft account from inside the console.",
  not_allowed:
    "Accounts from this Microsoft organisation cannot sign in to this console. Ask an owner of a tenant here to invite you.",
  linked_elsewhere: "This Microsoft account is already linked to another console account.",
  link_expired:
    "Linking needs your password confirmed within the last five minutes. Confirm it again on your Account page, then link.",
};

const THROTTLED = "throttled:";

/** The error a throttled password sign-in carries to the form (next-auth passes only a string). */
export function throttledSignInError(retryAfterSeconds: number): string {
  return `${THROTTLED}${retryAfterSeconds}`;
}

/**
 * What the sign-in form says for next-auth's error string. Only errors the console made itself are
 * worded; anything else reads as a wrong email or password, so no internal message reaches the page.
 */
export function signInErrorMessage(error: string): string {
  if (error.startsWith(THROTTLED)) {
    const minutes = Math.max(1, Math.ceil(Number(error.slice(THROTTLED.length)) / 60));
    return `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  }
  return "The email or password is not right.";
}

/**
 * What the sign-in page says for the `error` next-auth (or a refused Microsoft sign-in) put in its
 * URL: the console's own refusals by name, anything else as one generic line — never the raw value.
 */
export function signInRefusal(error: string | string[] | undefined): string | null {
  if (typeof error !== "string" || !error) return null;
  const code = error.startsWith("microsoft_") ? error.slice("microsoft_".length) : "";
  if (Object.hasOwn(MICROSOFT_REFUSALS, code)) return MICROSOFT_REFUSALS[code as keyof typeof MICROSOFT_REFUSALS];
  return "Signing in did not complete. Try again.";
}
