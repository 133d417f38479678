import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Deliveries are signed so a receiver can tell them from forgeries: HMAC-SHA256 with the channel's
 * secret over `${timestamp}.${body}`, sent as `X-TenantAtlas-Signature: t=<unix seconds>,v1=<hex>`
 * (docs/alerts.md). The timestamp is inside the MAC, so a receiver that refuses old timestamps
 * refuses replays too.
 */
export const SIGNATURE_HEADER = "x-tenantatlas-signature";
export const DELIVERY_HEADER = "x-tenantatlas-delivery";
export const EVENT_HEADER = "x-tenantatlas-event";

/** 32 random bytes, hex, with a prefix that says what it is when it turns up in a paste. */
export const newSigningSecret = () => `tas_${randomBytes(32).toString("hex")}`;

const mac = (secret: string, timestamp: number, body: string) =>
  createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");

export function signatureHeader(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${mac(secret, timestamp, body)}`;
}

/**
 * What a receiver does (and what docs/alerts.md shows): parse the header, refuse a timestamp
 * outside the window, compare in constant time. `now` in unix seconds.
 */
export function verifySignature(
  secret: string,
  {
    header,
    body,
    toleranceSeconds = 300,
    now = Math.floor(Date.now() / 1000),
  }: { header: string | undefined; body: string; toleranceSeconds?: number; now?: number },
): boolean {
  if (!header) return false;
  const parts = new Map(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  const timestamp = Number(parts.get("t"));
  const given = parts.get("v1");
  if (!Number.isInteger(timestamp) || !given || !/^[0-9a-f]{64}$/.test(given)) return false;
  if (Math.abs(now - timestamp) > toleranceSeconds) return false;
  return timingSafeEqual(Buffer.from(given, "hex"), Buffer.from(mac(secret, timestamp, body), "hex"));
}
