import "server-only";
import { eq } from "drizzle-orm";
import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { currentSessionEpoch } from "@/lib/account/sessions";
import {
  applyMicrosoftSignIn,
  decideMicrosoftSignIn,
  type MicrosoftSignIn,
  recordMicrosoftRefusal,
} from "@/lib/audit/microsoft-sign-in";
import { requestClientAddress } from "@/lib/audit/request-address";
import { env } from "@/lib/env";
import { paths } from "@/lib/paths";
import { clientAddress } from "./client-address";
import { flowCookie } from "./flow-cookies";
import { microsoftProvider } from "./microsoft";
import type { MicrosoftIdentity } from "./microsoft-account";
import { signInWithPassword } from "./password-sign-in";
import { MICROSOFT_REFUSALS, throttledSignInError } from "./sign-in-error";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(1000),
});

const credentials = CredentialsProvider({
  id: "credentials",
  name: "Email and password",
  credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
  async authorize(raw, request) {
    const parsed = credentialsSchema.safeParse(raw);
    if (!parsed.success) return null;
    const address = clientAddress(request.headers?.["x-forwarded-for"], env().TRUSTED_PROXY_COUNT);
    const result = await signInWithPassword(getDb(), { ...parsed.data, address });
    if (result.ok) return result.user;
    // next-auth hands a thrown message to the sign-in form; this one it knows how to word.
    if (result.reason === "throttled") throw new Error(throttledSignInError(result.retryAfterSeconds));
    return null;
  },
});

/** The Microsoft identity of a sign-in, from the verified ID token's claims. */
function microsoftIdentity(user: User, profile: unknown): Partial<MicrosoftIdentity> {
  const tid = (profile as { tid?: unknown } | undefined)?.tid;
  return {
    tenantGuid: typeof tid === "string" ? tid : undefined,
    objectId: String(user.id),
    email: user.email ?? "",
    name: user.name ?? "",
  };
}

/** The sign-in with what its browser carried through the round trip (link or invite token). */
async function microsoftSignIn(
  user: User,
  profile: unknown,
  { consume }: { consume: boolean },
): Promise<MicrosoftSignIn> {
  return {
    identity: microsoftIdentity(user, profile),
    linkToken: await flowCookie("link", { consume }),
    inviteToken: await flowCookie("invite", { consume }),
    allowedTenants: env().ALLOWED_ENTRA_TENANT_IDS,
    address: await requestClientAddress(),
  };
}

let cached: NextAuthOptions | undefined;

/** Built on first use (not at import) so that `next build` needs no environment. */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const microsoft = microsoftProvider();
  cached = {
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: paths.signIn(), error: paths.signIn() },
    providers: microsoft ? [credentials, microsoft] : [credentials],
    callbacks: {
      // Decides without writing, so that a refusal can send the user back to sign-in with its reason.
      async signIn({ user, account, profile }) {
        if (account?.provider !== "azure-ad") return true;
        const request = await microsoftSignIn(user, profile, { consume: false });
        const decision = await decideMicrosoftSignIn(getDb(), request);
        if (decision.ok) return true;
        await recordMicrosoftRefusal(getDb(), { ...request, refusal: decision.refusal });
        // A refused link goes back to the Account page of the still signed-in user (sign-in would
        // only redirect them on), where the reason is shown.
        const back = request.linkToken ? paths.account() : paths.signIn();
        return `${back}?error=microsoft_${decision.refusal}`;
      },
      async jwt({ token, user, account, profile }) {
        if (account?.provider === "azure-ad" && user) {
          const request = await microsoftSignIn(user, profile, { consume: true });
          const identity = request.identity;
          const local = await applyMicrosoftSignIn(getDb(), request);
          if (!local.ok) throw new Error(MICROSOFT_REFUSALS[local.refusal]);
          const [consoleUser] = await getDb()
            .select({ name: users.name, epoch: users.sessionEpoch })
            .from(users)
            .where(eq(users.id, local.userId));
          if (!consoleUser) throw new Error("The linked console account no longer exists.");
          token.uid = local.userId;
          token.name = consoleUser.name;
          token.epoch = consoleUser.epoch;
          const tenantGuid = identity.tenantGuid;
          // The delegated token stays in this encrypted JWT; the session object never carries it.
          // It is refreshed only by server actions that use it (lib/auth/delegated.ts), which can
          // write the cookie; this callback also runs in renders, which cannot.
          token.microsoft = {
            accessToken: account.access_token,
            refreshToken: account.refresh_token,
            expiresAt: (account.expires_at ?? Math.floor(Date.now() / 1000) + 3600) * 1000,
            tenantGuid,
          };
        } else if (user) {
          token.uid = user.id;
          token.epoch = await currentSessionEpoch(getDb(), user.id);
        }
        return token;
      },
      session({ session, token }) {
        // Only who the user is, and whether a Microsoft sign-in is present, reach the browser.
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        session.microsoft = Boolean(token.microsoft);
        session.epoch = token.epoch ?? 0;
        // Which directory the Microsoft sign-in belongs to (an id, not a secret): pages can say up
        // front that it cannot search another tenant's groups.
        if (token.microsoft?.tenantGuid) session.microsoftTenant = token.microsoft.tenantGuid;
        return session;
      },
    },
  };
  return cached;
}

/** Whether "Sign in with Microsoft" is offered. */
export function microsoftSignInAvailable(): boolean {
  return authOptions().providers.some((p) => p.id === "azure-ad");
}
