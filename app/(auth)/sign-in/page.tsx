import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { microsoftSignInAvailable } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";
import { signInRefusal } from "@/lib/auth/sign-in-error";
import { paths } from "@/lib/paths";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl, paths.tenants());
  if (await currentUser()) redirect(callbackUrl);
  const refused = signInRefusal(params.error);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm space-y-6">
        <div className="text-center">
          <h1 className="text-2xl font-semibold tracking-tight">TenantAtlas console</h1>
          <p className="mt-1 text-sm text-muted">Sign in to manage your Intune tenants.</p>
        </div>
        {refused ? (
          <p role="alert" data-testid="sign-in-refused" className="text-sm text-red-600 dark:text-red-400">
            {refused}
          </p>
        ) : null}
        <SignInForm callbackUrl={callbackUrl} microsoft={microsoftSignInAvailable()} />
      </div>
    </main>
  );
}
