import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level, so equal inputs always hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** sha256 of (tenant, type, canonical identity inputs): at most one active run per value. */
export function runIdentityHash(tenantId: string, type: string, identityInputs: unknown): string {
  return createHash("sha256")
    .update(`${tenantId}\n${type}\n${canonicalJson(identityInputs)}`)
    .digest("hex");
}
