import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user?: { id?: string; name?: string | null; email?: string | null };
    /** True when this session holds a delegated Microsoft token (the token itself stays server-side). */
    microsoft?: boolean;
    /** The tenant (directory id) of that Microsoft sign-in. */
    microsoftTenant?: string;
    /** The session's epoch, for the server's check in currentUser (a small counter, not a secret). */
    epoch?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** users.session_epoch when this session was issued: an older one is refused (lib/account/sessions.ts). */
    epoch?: number;
    /** Delegated Microsoft token: lives only in the encrypted session JWT. */
    microsoft?: { accessToken?: string; refreshToken?: string; expiresAt: number; tenantGuid?: string };
  }
}
