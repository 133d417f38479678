import { type LookupAddress, lookup } from "node:dns";
import { isIP } from "node:net";
import { addressAllowed, TargetRefused } from "./target";

/** The host's addresses, every one of them allowed for it (a name that resolves inward is refused). */
export async function resolveAllowed(hostname: string, timeoutMs = 5_000): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) {
    if (!addressAllowed(hostname, host)) throw new TargetRefused(`The address ${host} is private or reserved.`);
    return [{ address: host, family: isIP(host) }];
  }
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TargetRefused(`Looking up ${host} took too long.`)), timeoutMs);
    lookup(host, { all: true }, (err, found) => {
      clearTimeout(timer);
      if (err) reject(new TargetRefused(`The host ${host} could not be found.`));
      else resolve(found);
    });
  });
  const inward = addresses.find((a) => !addressAllowed(hostname, a.address));
  if (inward) {
    throw new TargetRefused(
      `${host} resolves to a private or reserved address (${inward.address}); alerts go only to public addresses or localhost.`,
    );
  }
  return addresses;
}
