/** next-auth's session cookie, with the `__Secure-` prefix it takes when the console is served over https. */
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

/**
 * Whether a request carries a session cookie, whole or split: next-auth splits a session larger than
 * one cookie into `<name>.0`, `<name>.1`, … (a Microsoft sign-in's tokens easily are), and a check
 * that knows only the whole name sends such a user to sign-in, which sends them back, for ever.
 */
export function hasSessionCookie(cookieNames: Iterable<string>): boolean {
  for (const name of cookieNames) {
    for (const session of SESSION_COOKIES) {
      if (name === session || (name.startsWith(`${session}.`) && /^\d+$/.test(name.slice(session.length + 1))))
        return true;
    }
  }
  return false;
}
