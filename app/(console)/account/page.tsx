import type { Metadata } from "next";
import { ChangePasswordForm, SignOutOtherSessionsButton, UnlinkButton } from "@/components/account/account-controls";
import { LinkMicrosoftForm } from "@/components/account/link-microsoft-form";
import { Card, PageHeader } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { accountIdentities } from "@/lib/account/identities";
import { microsoftSignInAvailable } from "@/lib/auth/options";
import { requireUser } from "@/lib/auth/session";
import { signInRefusal } from "@/lib/auth/sign-in-error";
import { paths } from "@/lib/paths";

export const metadata: Metadata = { title: "Your account" };

/** The ways you sign in, your password, and your sessions. */
export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireUser();
  const refused = signInRefusal((await searchParams).error);
  const identities = await accountIdentities(getDb(), user.id);
  const ways = identities.microsoft.length + (identities.hasPassword ? 1 : 0);
  return (
    <div className="space-y-6">
      <PageHeader title="Your account" description={`${user.name} · ${user.email}`} />
      {refused ? (
        <p role="alert" data-testid="link-refused" className="text-sm text-red-600 dark:text-red-400">
          {refused}
        </p>
      ) : null}
      <Card>
        <h2 className="mb-3 text-lg font-semibold">How you sign in</h2>
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Sign-in methods">
          <li className="py-3" data-testid="identity-password">
            <p className="font-medium">Password</p>
            <p className="text-xs text-muted">
              {identities.hasPassword
                ? `Email ${user.email} and a password.`
                : "None: this account signs in with Microsoft."}
            </p>
          </li>
          {identities.microsoft.map((identity) => (
            <li
              key={`${identity.tenantGuid}/${identity.objectId}`}
              className="flex flex-wrap items-center justify-between gap-3 py-3"
              data-testid="identity-microsoft"
            >
              <div>
                <p className="font-medium">Microsoft: {identity.username ?? identity.objectId}</p>
                <p className="text-xs text-muted">
                  Directory {identity.tenantGuid} · linked <Time date={identity.linkedAt} />
                </p>
              </div>
              {ways > 1 ? (
                <UnlinkButton
                  tenantGuid={identity.tenantGuid}
                  objectId={identity.objectId}
                  label={identity.username ?? identity.objectId}
                />
              ) : (
                <p className="text-xs text-muted">Your only way to sign in: it cannot be unlinked.</p>
              )}
            </li>
          ))}
        </ul>
        {identities.hasPassword && microsoftSignInAvailable() ? (
          <div className="mt-4 border-t border-zinc-200 pt-4 dark:border-zinc-800">
            <h3 className="mb-2 font-medium">Link a Microsoft account</h3>
            <LinkMicrosoftForm callbackUrl={paths.account()} label="Link a Microsoft account" />
          </div>
        ) : null}
      </Card>
      {identities.hasPassword ? (
        <Card>
          <h2 className="mb-3 text-lg font-semibold">Change password</h2>
          <ChangePasswordForm />
        </Card>
      ) : null}
      <Card>
        <h2 className="mb-1 text-lg font-semibold">Sessions</h2>
        <p className="mb-3 text-sm text-muted">Signs out every browser where you are signed in, except this one.</p>
        <SignOutOtherSessionsButton />
      </Card>
    </div>
  );
}
