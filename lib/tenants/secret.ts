import { open, seal } from "@/lib/crypto/secret-box";

// The tenant id is bound into the ciphertext: a sealed secret copied to another tenant won't open.
const context = (tenantId: string) => `tenant-client-secret:${tenantId}`;

export const sealClientSecret = (secret: string, key: Buffer, tenantId: string) => seal(secret, key, context(tenantId));
export const openClientSecret = (sealed: string, key: Buffer, tenantId: string) => open(sealed, key, context(tenantId));
