import { containedType, pickWritable } from "./writable";

type Rule = Record<string, unknown> & { scheduledActionConfigurations?: unknown };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The rules a backed-up compliance policy is created with: each rule and action keeps only what the
 * metadata lets a create carry (ids and OData annotations go), so grace periods and every action
 * type come back as they were. Undefined when the backup holds no rules (taken without the expand).
 *
 * Cross-tenant references are kept as they are here: an action's `notificationTemplateId` (a
 * notification message template of the source tenant) and `notificationMessageCCList` (group ids of
 * the source tenant). Mapping them for a restore into another tenant belongs with the other
 * cross-tenant references.
 */
export function scheduledActionsForCreate(content: Record<string, unknown>): Record<string, unknown>[] | undefined {
  const rules = content.scheduledActionsForRule;
  if (!Array.isArray(rules) || rules.length === 0) return undefined;
  const ruleType = containedType("deviceComplianceScheduledActionForRule");
  const actionType = containedType("deviceComplianceActionItem");
  return rules.filter(isObject).map((rule: Rule) => ({
    ...pickWritable(ruleType, rule).body,
    scheduledActionConfigurations: (Array.isArray(rule.scheduledActionConfigurations)
      ? rule.scheduledActionConfigurations
      : []
    )
      .filter(isObject)
      .map((action) => pickWritable(actionType, action).body),
  }));
}

/** Drops the `…@odata.context` annotations an expanded read adds: they describe the request, not the policy. */
export function withoutExpandContext<T extends Record<string, unknown>>(policy: T): T {
  const drop = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([key]) => !key.endsWith("@odata.context")));
  const out = drop(policy) as T;
  if (Array.isArray(policy.scheduledActionsForRule))
    (out as Record<string, unknown>).scheduledActionsForRule = policy.scheduledActionsForRule.map((rule) =>
      isObject(rule) ? drop(rule) : rule,
    );
  return out;
}
