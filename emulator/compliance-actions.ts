import { seededGuid } from "./directory";

/**
 * A compliance policy's scheduled actions, kept beside the policy as Graph keeps contained entities:
 * `scheduledActionsForRule` (deviceComplianceScheduledActionForRule) each holding
 * `scheduledActionConfigurations` (deviceComplianceActionItem). Graph returns them only with
 * `$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)` (they are contained
 * navigation properties in the metadata; IntuneManagement's Extensions/EndpointManager.psm1 and
 * Microsoft's powershell-intune-samples read them that way, and strip the `…@odata.context`
 * annotations the expanded answer carries).
 */
export type ComplianceAction = {
  id: string;
  actionType: string;
  gracePeriodHours: number;
  notificationTemplateId: string;
  notificationMessageCCList: string[];
};
export type ComplianceRule = { id: string; ruleName: string; scheduledActionConfigurations: ComplianceAction[] };

/** deviceComplianceActionType in the beta metadata. */
export const ACTION_TYPES = [
  "noAction",
  "notification",
  "block",
  "retire",
  "wipe",
  "removeResourceAccessProfiles",
  "pushNotification",
  "remoteLock",
] as const;
/** "Number of hours to wait till the action will be enforced. Valid values 0 to 8760" (deviceComplianceActionItem). */
export const MAX_GRACE_PERIOD_HOURS = 8760;
/** "Currently scheduled actions are created per policy instead of per rule, thus RuleName is always set to default value PasswordRequired." */
export const RULE_NAME = "PasswordRequired";

/**
 * What tenants carry: always the one block action (with a grace period more often than not), often
 * an e-mail notification from one of the tenant's message templates, sometimes a retire after 90 days.
 */
export function seedComplianceActions(
  seed: number,
  {
    key,
    index,
    ccGroupId,
    templateIds,
  }: { key: string; index: number; ccGroupId: string | undefined; templateIds: string[] },
): ComplianceRule[] {
  // Seeds cycle platforms by index % 4; the action mix cycles by index / 4, so every platform gets each mix.
  const n = Math.floor(index / 4) % 4;
  const action = (k: number, a: Omit<ComplianceAction, "id">): ComplianceAction => ({
    id: seededGuid(seed, `cmp-action:${key}:${k}`),
    ...a,
  });
  const none = { notificationTemplateId: "", notificationMessageCCList: [] };
  // One of the tenant's own notification message templates (none: no notification is possible).
  const template = templateIds[Math.floor(index / 16) % Math.max(1, templateIds.length)];
  // Mixes: block at once; block after 24 h with a notification; block after 72 h and retire after
  // 90 days (nothing of the tenant's own referenced); block after 12 h, notification CC'ing a group, retire.
  const actions = [action(0, { actionType: "block", gracePeriodHours: [0, 24, 72, 12][n]!, ...none })];
  if ((n === 1 || n === 3) && template)
    actions.push(
      action(1, {
        actionType: "notification",
        gracePeriodHours: n === 3 ? 24 : 0,
        notificationTemplateId: template,
        notificationMessageCCList: n === 3 && ccGroupId ? [ccGroupId] : [],
      }),
    );
  if (n >= 2) actions.push(action(2, { actionType: "retire", gracePeriodHours: 2160, ...none }));
  return [{ id: seededGuid(seed, `cmp-rule:${key}`), ruleName: RULE_NAME, scheduledActionConfigurations: actions }];
}

/** Reads `$expand`: top-level items and what each expands in turn (`a($expand=b),c`). */
export function parseExpand(expand: string | undefined): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  let depth = 0;
  let start = 0;
  const text = expand ?? "";
  const add = (item: string) => {
    const match = /^\s*([^()\s]+)\s*(?:\(\s*\$expand=(.*)\))?\s*$/s.exec(item);
    if (match) out.set(match[1]!, match[2]);
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")") depth--;
    else if (text[i] === "," && depth === 0) {
      add(text.slice(start, i));
      start = i + 1;
    }
  }
  if (text.trim()) add(text.slice(start));
  return out;
}

/** The expanded `scheduledActionsForRule` of a policy, as Graph answers it (with its annotations). */
export function expandedActions(rules: ComplianceRule[], { context, expand }: { context: string; expand: string }) {
  if (!parseExpand(expand).has("scheduledActionsForRule")) return {};
  const inner = parseExpand(parseExpand(expand).get("scheduledActionsForRule"));
  return {
    "scheduledActionsForRule@odata.context": `${context}/scheduledActionsForRule`,
    scheduledActionsForRule: rules.map(({ scheduledActionConfigurations, ...rule }) => ({
      ...rule,
      ...(inner.has("scheduledActionConfigurations")
        ? {
            "scheduledActionConfigurations@odata.context": `${context}/scheduledActionsForRule('${rule.id}')/scheduledActionConfigurations`,
            scheduledActionConfigurations,
          }
        : {}),
    })),
  };
}
