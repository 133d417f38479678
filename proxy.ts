import { type NextRequest, NextResponse } from "next/server";
import { hasSessionCookie } from "@/lib/auth/session-cookie";
import { databaseReachable } from "@/lib/database-reachability";
import { databaseUnavailable } from "@/lib/database-unavailable";
import { contentSecurityPolicy, createNonce } from "@/lib/security/content-security-policy";
import { refuseMalformedBody } from "@/lib/security/request-guard";

const PUBLIC_PAGES = ["/sign-in"];
/** Liveness means the process answers: it must not depend on the database. */
const WITHOUT_DATABASE = ["/api/health/live"];
// An invite link is opened before its holder has an account: the page offers to create one.
const isPublic = (pathname: string) => PUBLIC_PAGES.includes(pathname) || pathname.startsWith("/invite/");

/**
 * In front of every page and API route. While PostgreSQL cannot be reached: a 503 that says so
 * (instead of a hang or an error page), from a probe cached for a second. Then, for pages: their
 * own CSP nonce, and without a session cookie a redirect to sign-in — optimistic only: real checks
 * (session validity, tenant membership, role) happen in the data layer on every request.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (!WITHOUT_DATABASE.includes(pathname) && !(await databaseReachable())) return databaseUnavailable(request);
  const refusal = await refuseMalformedBody(request);
  if (refusal) return refusal;
  if (pathname.startsWith("/api/")) return NextResponse.next();
  if (!isPublic(pathname) && !hasSessionCookie(request.cookies.getAll().map((cookie) => cookie.name))) {
    const url = new URL("/sign-in", request.url);
    if (pathname + search !== "/") url.searchParams.set("callbackUrl", pathname + search);
    return NextResponse.redirect(url);
  }
  const policy = contentSecurityPolicy(createNonce(), { dev: process.env.NODE_ENV === "development" });
  // Next.js reads the nonce from the request's policy and puts it on the scripts it renders.
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  // Served over https (the console's public URL says so): browsers keep to https for two years.
  if (process.env.NEXTAUTH_URL?.startsWith("https://"))
    response.headers.set("strict-transport-security", "max-age=63072000; includeSubDomains");
  return response;
}

export const config = {
  matcher: ["/((?!_next/|favicon\\.ico|.*\\.(?:svg|png|ico|css|js)$).*)"],
};
