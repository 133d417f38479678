import type { StoredPermissionGap } from "@/db/schema/tenants";
import { operationLabel } from "@/lib/operations/registry";

/** What the last verification stored about the app's access (lib/tenants/service.ts). */
export type AccessReport = {
  appPermissions: string[] | null;
  permissionGaps: StoredPermissionGap[];
  intuneStatus: string;
};

export type IntuneTone = "ok" | "warning" | "error" | "unknown";

const INTUNE: Record<string, { label: string; tone: IntuneTone; detail: string }> = {
  active: { label: "Active", tone: "ok", detail: "Intune answers this tenant's requests." },
  notLicensed: {
    label: "No Intune licence",
    tone: "error",
    detail:
      "Graph answers Intune requests with “Request not applicable to target tenant.”: policies, backups, restores and Intune roles cannot work here.",
  },
  unknown: {
    label: "Unknown",
    tone: "unknown",
    detail:
      "The app may not read the tenant's Intune subscription (DeviceManagementConfiguration.Read.All or DeviceManagementServiceConfig.Read.All would let it).",
  },
};

/**
 * The tenant page's view of the app's access: Intune's state in words, and each missing application
 * permission with the operations (by label) that need it. Null before a verification checked it.
 */
export function accessView(report: AccessReport | null) {
  if (!report) return null;
  const intune = INTUNE[report.intuneStatus] ?? {
    label: `Subscription ${report.intuneStatus}`,
    tone: "warning" as const,
    detail: `Intune reports the subscription as “${report.intuneStatus}”, not active; Intune requests may be refused.`,
  };
  return {
    intune: { status: report.intuneStatus, ...intune },
    gaps: report.permissionGaps.map((gap) => ({
      permission: gap.permission,
      alternatives: gap.alternatives,
      operations: gap.operations.map((type) => operationLabel(type)),
    })),
    /** Null when the token did not show them (the check could not run). */
    granted: report.appPermissions ? [...report.appPermissions].sort() : null,
  };
}

export type AccessView = NonNullable<ReturnType<typeof accessView>>;
