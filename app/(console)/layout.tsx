import Link from "next/link";
import { Suspense } from "react";
import { LiveUpdates } from "@/components/live/live-updates";
import { NotificationBell } from "@/components/notifications/bell";
import { requireUser } from "@/lib/auth/session";
import { paths } from "@/lib/paths";
import { MainNav } from "./main-nav";
import { SignOutButton } from "./sign-out-button";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <div className="min-h-screen">
      {/* It reads the URL's query (its live scope): rendered on the client only. */}
      <Suspense fallback={null}>
        <LiveUpdates />
      </Suspense>
      <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/90">
        <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-2 px-4">
          <div className="flex min-w-0 items-center gap-4 md:gap-6">
            <Link href={paths.home()} className="text-sm font-semibold tracking-tight">
              TenantAtlas
            </Link>
            <MainNav />
          </div>
          <div className="flex shrink-0 items-center gap-1 sm:gap-2">
            <NotificationBell userId={user.id} />
            <Link
              href={paths.account()}
              title="Your account"
              className="hidden text-sm text-zinc-600 hover:text-zinc-900 hover:underline sm:inline dark:text-zinc-400 dark:hover:text-zinc-100"
              data-testid="signed-in-user"
            >
              {user.name}
            </Link>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
    </div>
  );
}
