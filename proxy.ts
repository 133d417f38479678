import { type NextRequest, NextResponse } from "next/server";
import { databaseReachable } from "@/lib/database-reachability";
import { databaseUnavailable } from "@/lib/database-unavailable";

const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
/** Not console pages: no sign-in redirect (they check what they need themselves). */
const NO_SESSION_NEEDED = /^\/(api\/|sign-in)/;

/**
 * In front of every page and API route: while PostgreSQL cannot be reached, a 503 that says so
 * (instead of a hang or an error page), from a probe cached for a second; then an optimistic
 * redirect only: without a session cookie, console pages go to sign-in. Real checks (session
 * validity, tenant membership, role) happen in the data layer on every request.
 */
export async function proxy(request: NextRequest) {
  if (!(await databaseReachable())) return databaseUnavailable(request);
  const { pathname, search } = request.nextUrl;
  if (NO_SESSION_NEEDED.test(pathname)) return NextResponse.next();
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (hasSession) return NextResponse.next();
  const url = new URL("/sign-in", request.url);
  const target = pathname + search;
  if (target !== "/") url.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!_next/|favicon\\.ico|.*\\.(?:svg|png|ico|css|js)$).*)"],
};
