import { type NextRequest, NextResponse } from "next/server";
import { hasSessionCookie } from "@/lib/auth/session-cookie";
import { contentSecurityPolicy, createNonce } from "@/lib/security/content-security-policy";

const PUBLIC_PAGES = ["/sign-in"];
// An invite link is opened before its holder has an account: the page offers to create one.
const isPublic = (pathname: string) => PUBLIC_PAGES.includes(pathname) || pathname.startsWith("/invite/");

/**
 * Every page gets its own CSP nonce. Console pages without a session cookie go to sign-in — an
 * optimistic redirect only: real checks (session validity, tenant membership, role) happen in the
 * data layer on every request.
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
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
  matcher: ["/((?!api/|_next/|favicon\\.ico|.*\\.(?:svg|png|ico|css|js)$).*)"],
};
