import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user?: { id?: string; name?: string | null; email?: string | null };
    /** True when this session holds a delegated Microsoft token (the token itself stays server-side). */
    microsoft?: boolean;
    /** The tenant (directory id) of that Microsoft sign-in. */
    microsoftTenant?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** Delegated Microsoft token: lives only in the encrypted session JWT. */
    microsoft?: { accessToken?: string; refreshToken?: string; expiresAt: number; tenantGuid?: string };
  }
}
