import { BlockList, isIP } from "node:net";
import { alertsMayReachLocalhost } from "@/lib/env";

/**
 * Where a channel may point. A webhook URL is chosen by a tenant owner, but the console posts to it
 * from inside its own network, so it must not become a way to reach that network (SSRF): https
 * only (http for this machine's loopback, for local receivers), no credentials in the URL, and no
 * address in private, loopback, link-local (cloud metadata: 169.254.169.254) or otherwise special
 * ranges unless the host is literally this machine. Checked when a channel is saved and again at
 * every delivery, on the address actually connected to (lib/alerts/http-post.ts).
 */

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
export const MAX_URL_LENGTH = 2048;

const special = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  special.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  special.addSubnet(net, prefix, "ipv6");
}
const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is. */
function unmapped(address: string): { address: string; family: "ipv4" | "ipv6" } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: "ipv4" };
  return { address, family: isIP(address) === 4 ? "ipv4" : "ipv6" };
}

/** A loopback name, where this deployment lets alerts reach its own machine (else just a private address). */
export const isLoopbackHost = (hostname: string) =>
  LOOPBACK_HOSTS.has(hostname.toLowerCase()) && alertsMayReachLocalhost();

/** Whether `host` (as written in the URL) may be reached at `address`. */
export function addressAllowed(host: string, address: string): boolean {
  const ip = unmapped(address);
  if (isLoopbackHost(host)) return loopback.check(ip.address, ip.family);
  return !special.check(ip.address, ip.family);
}

export class TargetRefused extends Error {}

/**
 * The URL's own rules, without a DNS lookup: what a save reports field by field, and what a
 * delivery checks before connecting (a literal IP is never looked up, so it is judged here).
 */
export function checkTargetUrl(raw: string): URL {
  if (raw.length > MAX_URL_LENGTH) throw new TargetRefused(`The URL is longer than ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused("Enter a full URL, starting with https://.");
  }
  const loopbackHost = isLoopbackHost(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopbackHost)) {
    throw new TargetRefused(
      url.protocol === "http:"
        ? `The URL must use https://${alertsMayReachLocalhost() ? " (http:// is allowed only for localhost)" : ""}.`
        : "The URL must start with https://.",
    );
  }
  if (url.username || url.password) throw new TargetRefused("The URL must not contain a user name or password.");
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(literal) && !addressAllowed(url.hostname, literal)) {
    throw new TargetRefused(
      `The URL points to a private or reserved address (${literal}); alerts go only to public addresses or localhost.`,
    );
  }
  return url;
}
