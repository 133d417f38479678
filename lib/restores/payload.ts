import type { PolicyFamily } from "@/db/schema/inventory";
import type { PlannedItem } from "./plan";

/** Properties Graph sets itself and refuses on create, plus what is written through other calls. */
const NOT_CREATABLE = new Set([
  "id",
  "createdDateTime",
  "lastModifiedDateTime",
  "version",
  "settingCount",
  "isAssigned",
  "assignments",
  "settings",
  "scheduledActionsForRule",
]);

/** Assignment filters are objects of the source tenant: their ids mean nothing elsewhere. */
const FILTER_FIELDS = ["deviceAndAppManagementAssignmentFilterId", "deviceAndAppManagementAssignmentFilterType"];

/** Intune creates a compliance policy only with one rule holding exactly one "block" action. */
function oneBlockAction(content: Record<string, unknown>) {
  const rules = Array.isArray(content.scheduledActionsForRule)
    ? (content.scheduledActionsForRule as {
        ruleName?: string;
        scheduledActionConfigurations?: Record<string, unknown>[];
      }[])
    : [];
  const block = rules.flatMap((r) => r.scheduledActionConfigurations ?? []).find((a) => a.actionType === "block");
  const action = {
    actionType: "block",
    gracePeriodHours: Number(block?.gracePeriodHours ?? 0),
    notificationTemplateId: "",
    notificationMessageCCList: [] as string[],
  };
  return [{ ruleName: rules[0]?.ruleName ?? "PasswordRequired", scheduledActionConfigurations: [action] }];
}

/** The POST body that recreates a backed-up policy: read-only fields and OData annotations removed. */
export function creationBody(family: PolicyFamily, content: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(content)) {
    if (NOT_CREATABLE.has(key)) continue;
    if (key.includes("@odata.") && key !== "@odata.type") continue;
    body[key] = value;
  }
  if (family === "settings_catalog") {
    // A setting's id is the source policy's; Graph numbers the new policy's settings itself.
    body.settings = (Array.isArray(content.settings) ? content.settings : []).map((s) =>
      Object.fromEntries(Object.entries(s as Record<string, unknown>).filter(([key]) => key !== "id")),
    );
  }
  if (family === "compliance") body.scheduledActionsForRule = oneBlockAction(content);
  return body;
}

/** The `/assign` body: mapped groups swapped in, unmapped ones left out (replaces the whole set). */
export function assignBody(item: PlannedItem, crossTenant: boolean) {
  return {
    assignments: item.assignments
      .filter((a) => a.action === "assign")
      .map((a) => {
        const target: Record<string, unknown> = {
          ...a.target,
          ...(a.targetGroup ? { groupId: a.targetGroup.id } : {}),
        };
        if (crossTenant) for (const field of FILTER_FIELDS) delete target[field];
        return { target };
      }),
  };
}
