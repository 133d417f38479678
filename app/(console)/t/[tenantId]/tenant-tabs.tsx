"use client";

import { usePathname } from "next/navigation";
import { LinkNav } from "@/components/ui/link-nav";
import { paths } from "@/lib/paths";

/**
 * `audit`: whether the visitor's role may read the tenant's audit log; `settings`: whether they own
 * the tenant. Each tab is hidden otherwise.
 */
export function TenantTabs({ tenantId, audit, settings }: { tenantId: string; audit: boolean; settings: boolean }) {
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
        [paths.schedules(tenantId), "Schedules"],

        [paths.drift(tenantId), "Drift"],
        [paths.groups(tenantId), "Groups"],
        [paths.explorer(tenantId), "Explorer"],
        [paths.members(tenantId), "Members"],
        [paths.alerts(tenantId), "Alerts"],
        ...(audit ? ([[paths.tenantAudit(tenantId), "Audit"]] as const) : []),
        ...(settings ? ([[paths.tenantSettings(tenantId), "Settings"]] as const) : []),
      ] as const
    ).map(([href, label]) => ({ href, label, active: pathname === href || pathname.startsWith(`${href}/`) })),
  ];
  return <LinkNav look="tabs" label="Tenant sections" items={tabs} className="mt-3" />;
}
