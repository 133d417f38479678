"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { paths } from "@/lib/paths";

export function TenantTabs({ tenantId }: { tenantId: string }) {
  const pathname = usePathname();
  const tabs = [
    { href: paths.tenant(tenantId), label: "Overview", active: pathname === paths.tenant(tenantId) },
    { href: paths.tenantRuns(tenantId), label: "Operations", active: pathname.startsWith(paths.tenantRuns(tenantId)) },
    {
      href: `${paths.tenant(tenantId)}/policies`,
      label: "Policies",
      active: pathname.startsWith(`${paths.tenant(tenantId)}/policies`),
    },
    {
      href: `${paths.tenant(tenantId)}/backups`,
      label: "Backups",
      active: pathname.startsWith(`${paths.tenant(tenantId)}/backups`),
    },
    {
      href: `${paths.tenant(tenantId)}/restores`,
      label: "Restores",
      active: pathname.startsWith(`${paths.tenant(tenantId)}/restores`),
    },
    {
      href: `${paths.tenant(tenantId)}/groups`,
      label: "Groups",
      active: pathname.startsWith(`${paths.tenant(tenantId)}/groups`),
    },
  ];
  return (
    <nav className="mt-3 flex gap-4 text-sm" aria-label="Tenant sections">
      {tabs.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={tab.active ? "page" : undefined}
          className={cn(
            "-mb-px border-b-2 px-1 pb-2",
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
