import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { userIdentities, users } from "@/db/schema";
import { env } from "@/lib/env";
import { paths } from "@/lib/paths";
import { clientAddress } from "./client-address";
import { takeMicrosoftLink } from "./link";
import { microsoftProvider } from "./microsoft";
import { signInWithPassword } from "./password-sign-in";
import { throttledSignInError } from "./sign-in-error";

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

/**
 * The console's user for a Microsoft identity: the account it is linked to; else, when a signed-in
 * user asked to link it, theirs; else the account with the same email (created on first sign-in).
 */
async function consoleUserFor(profile: User, tenantGuid: string | undefined) {
  const db = getDb();
  const subject = String(profile.id);
  const linkTo = await takeMicrosoftLink();
  const [linked] = await db
    .select({ userId: userIdentities.userId })
    .from(userIdentities)
    .where(and(eq(userIdentities.provider, "azure-ad"), eq(userIdentities.subject, subject)));
  let userId = linked?.userId;
  if (linkTo && userId && userId !== linkTo)
    throw new Error("This Microsoft account is already linked to another console account.");
  if (!userId && linkTo) userId = linkTo;
  if (!userId) {
    const email = String(profile.email ?? "").toLowerCase();
    if (!z.email().safeParse(email).success) throw new Error("The Microsoft account has no usable email address.");
    await db
      .insert(users)
      .values({ email, name: profile.name ?? email })
      .onConflictDoNothing();
    const [byEmail] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
    userId = byEmail!.id;
  }
  await db.insert(userIdentities).values({ provider: "azure-ad", subject, userId, tenantGuid }).onConflictDoNothing();
  const [user] = await db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, userId));
  if (!user) throw new Error("The linked console account no longer exists.");
  return user;
}

let cached: NextAuthOptions | undefined;

/** Built on first use (not at import) so that `next build` needs no environment. */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const microsoft = microsoftProvider();
  cached = {
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: paths.signIn() },
    providers: microsoft ? [credentials, microsoft] : [credentials],
    callbacks: {
      async jwt({ token, user, account, profile }) {
        if (account?.provider === "azure-ad" && user) {
          const tid = (profile as { tid?: unknown } | undefined)?.tid;
          const tenantGuid = typeof tid === "string" ? tid : undefined;
          const local = await consoleUserFor(user, tenantGuid);
          token.uid = local.id;
          token.name = local.name;
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
        }
        return token;
      },
      session({ session, token }) {
        // Only who the user is, and whether a Microsoft sign-in is present, reach the browser.
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        session.microsoft = Boolean(token.microsoft);
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
