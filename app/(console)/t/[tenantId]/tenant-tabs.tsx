"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { paths } from "@/lib/paths";

export function TenantTabs({ tenantId }: { tenantId: string }) {
  const pathname = usePathname();
  const overview = paths.tenant(tenantId);
  // Each section's pages live under its path; the overview is only itself.
  const tabs = [
    { href: overview, label: "Overview", active: pathname === overview },
    ...(
      [
        [paths.tenantRuns(tenantId), "Operations"],
        [paths.policies(tenantId), "Policies"],
        [paths.backups(tenantId), "Backups"],
        [paths.restores(tenantId), "Restores"],
        [paths.groups(tenantId), "Groups"],
      ] as const
    ).map(([href, label]) => ({ href, label, active: pathname === href || pathname.startsWith(`${href}/`) })),
  ];
  return (
    <nav className="mt-3 flex gap-4 overflow-x-auto text-sm whitespace-nowrap" aria-label="Tenant sections">
      {tabs.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={tab.active ? "page" : undefined}
          className={cn(
            "shrink-0 border-b-2 px-1 pb-2",
            tab.active
              ? "border-blue-600 font-medium text-zinc-900 dark:text-zinc-100"
              : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400",
          )}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
