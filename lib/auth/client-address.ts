/**
 * The address a request came from, for per-address sign-in limits. `next start` fills
 * X-Forwarded-For with the socket's address only when the request has none, so what a client
 * sends itself is kept: behind `trustedProxies` reverse proxies that each append the address they
 * saw, the entry that many places from the end is the first one nobody but a proxy wrote. With no
 * proxy, the last entry is the socket address unless the client forged the header — which is why
 * the account limit, not this one, is what stops guessing.
 */
export function clientAddress(
  forwardedFor: string | string[] | undefined | null,
  trustedProxies = 0,
): string | undefined {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
  const hops = (header ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  return hops.at(-Math.max(1, trustedProxies))?.slice(0, 64);
}
