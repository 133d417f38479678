import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes, base64url: the secret part of an invite link. */
export function newInviteToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What the table keeps instead of the token: a lookup key that cannot be turned back into a link. */
export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
