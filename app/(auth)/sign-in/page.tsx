import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { microsoftSignInAvailable } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";
import { paths } from "@/lib/paths";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const callbackUrl = safeCallbackPath((await searchParams).callbackUrl, paths.tenants());
  if (await currentUser()) redirect(callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm space-y-6">
        <div className="text-center">
          <h1 className="text-2xl font-semibold tracking-tight">TenantAtlas console</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Sign in to manage your Intune tenants.</p>
        </div>
        <SignInForm callbackUrl={callbackUrl} microsoft={microsoftSignInAvailable()} />
      </div>
    </main>
  );
}
