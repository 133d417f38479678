import { type NextRequest, NextResponse } from "next/server";
import { hasSessionCookie } from "@/lib/auth/session-cookie";

/**
 * Optimistic redirect only: without a session cookie, console pages go to sign-in. Real checks
 * (session validity, tenant membership, role) happen in the data layer on every request.
 */
export function proxy(request: NextRequest) {
  if (hasSessionCookie(request.cookies.getAll().map((cookie) => cookie.name))) return NextResponse.next();
  const url = new URL("/sign-in", request.url);
  const target = request.nextUrl.pathname + request.nextUrl.search;
  if (target !== "/") url.searchParams.set("callbackUrl", target);
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!api/|_next/|sign-in|favicon\\.ico|.*\\.(?:svg|png|ico|css|js)$).*)"],
};
