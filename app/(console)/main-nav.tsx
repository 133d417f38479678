"use client";

import { Menu, X } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { cn } from "@/components/ui/cn";
import { paths } from "@/lib/paths";

const NAV = [
  [paths.home(), "Fleet"],
  [paths.tenants(), "Tenants"],
  [paths.operations(), "Operations"],
  [paths.notifications(), "Notifications"],
  [paths.audit(), "Audit"],
] as const;

function NavLinks({ pathname, className }: { pathname: string; className: string }) {
  return NAV.map(([href, label]) => {
    const current = pathname === href || pathname.startsWith(`${href}/`);
    return (
      <Link
        key={href}
        href={href}
        aria-current={current ? "page" : undefined}
        className={cn(
          className,
          current
            ? "font-medium text-zinc-900 dark:text-zinc-100"
            : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
        )}
      >
        {label}
      </Link>
    );
  });
}

/**
 * The console's section links: inline from the `md` width up; below it, behind a Menu button so the
 * bell and Sign out keep their place on a phone. The menu closes when the page changes.
 */
export function MainNav() {
  const pathname = usePathname();
  // The menu is open on the page it was opened on only: navigating closes it without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  return (
    <>
      <nav aria-label="Console" className="hidden items-center gap-6 text-sm md:flex">
        <NavLinks pathname={pathname} className="" />
      </nav>
      <div
        className="relative md:hidden"
        onKeyDown={(e) => {
          if (e.key === "Escape") setOpenOn(null);
        }}
      >
        <button
          type="button"
          aria-expanded={open}
          onClick={() => setOpenOn(open ? null : pathname)}
          className="inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          {open ? <X className="size-4" aria-hidden /> : <Menu className="size-4" aria-hidden />}
          Menu
        </button>
        {open ? (
          <nav
            aria-label="Console"
            className="absolute left-0 z-20 mt-2 flex w-48 flex-col rounded-lg border border-zinc-200 bg-white py-1 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
          >
            <NavLinks pathname={pathname} className="px-4 py-2 hover:bg-zinc-100 dark:hover:bg-zinc-800" />
          </nav>
        ) : null}
      </div>
    </>
  );
}
