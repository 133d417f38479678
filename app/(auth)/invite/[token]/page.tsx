import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AcceptInviteButton, CreateAccountForm, MicrosoftInviteSignIn } from "@/components/team/accept-invite";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { microsoftSignInAvailable } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";
import { paths, withQuery } from "@/lib/paths";
import { inviteByToken } from "@/lib/team/invites";
import { inviteTokenSchema } from "@/lib/team/schema";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

/** Marks the return from the invite's Microsoft sign-in. */
const FROM_MICROSOFT = "microsoft";

const UNUSABLE = {
  accepted: "This invite has been used already.",
  revoked: "This invite was revoked.",
  expired: "This invite has expired.",
} as const;

/** An invite link: a signed-in holder accepts it; someone without an account makes one from it. */
export default async function InvitePage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token } = await params;
  const valid = inviteTokenSchema.safeParse(token).success;
  const invite = valid ? await inviteByToken(getDb(), token) : undefined;
  const user = await currentUser();
  const here = paths.invite(token);
  // Back from a Microsoft sign-in that made this account from the invite: it has joined already.
  // (Only then: opening a link you used before still says it was used.)
  const backFromMicrosoft = (await searchParams)[FROM_MICROSOFT] === "1";
  if (backFromMicrosoft && user && invite?.acceptedBy === user.id) redirect(paths.tenant(invite.tenantId));
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-md space-y-6">
        <h1 className="text-center text-2xl font-semibold tracking-tight">TenantAtlas console</h1>
        {!invite || invite.status !== "open" ? (
          <Card>
            <p role="alert" data-testid="invite-unusable">
              {invite && invite.status !== "open" ? UNUSABLE[invite.status] : "This invite link is not valid."} Ask the
              tenant&rsquo;s owner for a new one.
            </p>
            <Link href={user ? paths.tenants() : paths.signIn()} className={buttonClass("secondary", "mt-4")}>
              {user ? "Go to your tenants" : "Sign in"}
            </Link>
          </Card>
        ) : (
          <>
            <Card>
              <p data-testid="invite-summary">
                {invite.invitedBy ?? "An owner"} invited <strong>{invite.email}</strong> to{" "}
                <strong>{invite.tenantName}</strong> as <span className="capitalize">{invite.role}</span>.
              </p>
              <p className="mt-1 text-xs text-muted">
                The link works once and expires <Time date={invite.expiresAt} />.
              </p>
            </Card>
            {user ? (
              <Card className="space-y-3">
                <p className="text-sm">
                  Signed in as <strong>{user.email}</strong>.
                  {user.email.toLowerCase() !== invite.email
                    ? " The invite was sent to another address; whoever holds the link may accept it."
                    : null}
                </p>
                <AcceptInviteButton token={token} />
              </Card>
            ) : (
              <>
                <CreateAccountForm token={token} email={invite.email} />
                <Card className="space-y-3 text-sm">
                  <p>Have an account already? Sign in, and you come back here to accept.</p>
                  <Link href={withQuery(paths.signIn(), { callbackUrl: here })} className={buttonClass("secondary")}>
                    Sign in
                  </Link>
                  {microsoftSignInAvailable() ? (
                    <MicrosoftInviteSignIn token={token} callbackUrl={withQuery(here, { [FROM_MICROSOFT]: "1" })} />
                  ) : null}
                </Card>
              </>
            )}
          </>
        )}
      </div>
    </main>
  );
}
