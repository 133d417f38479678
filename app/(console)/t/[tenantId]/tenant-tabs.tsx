"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { runsUrl, tenantUrl } from "@/lib/operations/links";

export function TenantTabs({ tenantId }: { tenantId: string }) {
  const pathname = usePathname();
  const tabs = [
    { href: tenantUrl(tenantId), label: "Overview", active: pathname === tenantUrl(tenantId) },
    { href: runsUrl(tenantId), label: "Operations", active: pathname.startsWith(runsUrl(tenantId)) },
    {
      href: `${tenantUrl(tenantId)}/policies`,
      label: "Policies",
      active: pathname.startsWith(`${tenantUrl(tenantId)}/policies`),
    },
    {
      href: `${tenantUrl(tenantId)}/backups`,
      label: "Backups",
      active: pathname.startsWith(`${tenantUrl(tenantId)}/backups`),
    },
    {
      href: `${tenantUrl(tenantId)}/restores`,
      label: "Restores",
      active: pathname.startsWith(`${tenantUrl(tenantId)}/restores`),
    },
    {
      href: `${tenantUrl(tenantId)}/groups`,
      label: "Groups",
      active: pathname.startsWith(`${tenantUrl(tenantId)}/groups`),
    },
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
