import metadata from "@/lib/graph/writable-properties.generated.json";
import { ACTION_TYPES, type ComplianceRule, MAX_GRACE_PERIOD_HOURS, RULE_NAME } from "./compliance-actions";
import { COLLECTIONS, type PolicyFamily } from "./intune-collections";
import { resolvedTemplateReference } from "./intune-endpoint-security";

/**
 * What Graph answers to a policy create, judged against Microsoft's beta metadata: the generated
 * list of writable properties per type (scripts/graph-writable-properties.ts). The emulator shares
 * that data with the console because its source is Microsoft's metadata, not the console's code.
 */
type GraphType = { family: string; writable: string[]; readOnly: string[]; navigation: string[] };
const TYPES: Record<string, GraphType | undefined> = metadata.types;

/** Whether Microsoft's metadata gives this type (a collection's root) the property. */
export function hasProperty(root: string, name: string): boolean {
  const type = TYPES[`#${root}`];
  return type ? [...type.writable, ...type.readOnly].includes(name) : true;
}

export type CreateProblem = { code: string; message: string; intune?: boolean };

/** Intune's internal name for a type, as its validation errors print it. */
const serviceType = (odataType: string) =>
  odataType.replace(/^#?microsoft\.graph\./, "microsoft.management.services.api.");
/** Intune prints property names Pascal-cased ("SecretReferenceValueId invalid for create."). */
const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/**
 * Refusals, each with its source:
 * - a type the metadata does not have: BadRequest "A type named '…' could not be resolved by the
 *   model…" (Micke-K/IntuneManagement#318);
 * - a type of another family: ModelValidationFailure "An entry with type '…' was found, but it is not
 *   assignable to the expected type '…'…" (microsoft/Intune-Config-Frameworks#8);
 * - a property the type does not have: ModelValidationFailure "The property '…' does not exist on
 *   type '…'. Make sure to only use property names that are defined by the type."
 *   (microsoft/Intune-PowerShell-SDK#97, #98, #108);
 * - a property the type has but a create may not carry: NotSupported "<Name> invalid for create.",
 *   the answer Intune gave for read-only secretReferenceValueId (jseerden/IntuneBackupAndRestore#39);
 *   Graph's exact text for supportsScopeTags is not published (microsoftgraph/microsoft-graph-docs#4003
 *   reports only the 400).
 */
function propertyProblem(family: PolicyFamily, odataType: string, body: Record<string, unknown>) {
  const type = TYPES[odataType];
  if (!type)
    return {
      code: "BadRequest",
      message: `A type named '${odataType.replace(/^#/, "")}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`,
    };
  const root = COLLECTIONS[family].root;
  if (type.family !== root)
    return {
      code: "ModelValidationFailure",
      message: `An entry with type '${serviceType(odataType)}' was found, but it is not assignable to the expected type '${serviceType(root)}'. The type specified in the entry must be equal to either the expected type or a derived type.`,
    };
  return propertiesProblem(type, odataType, body, COLLECTIONS[family].createdWith);
}

function propertiesProblem(
  type: GraphType,
  odataType: string,
  body: Record<string, unknown>,
  createdWith: string[] = [],
): CreateProblem | undefined {
  const writable = new Set([...type.writable, ...createdWith]);
  const known = new Set([...type.writable, ...type.readOnly, ...type.navigation]);
  for (const key of Object.keys(body)) {
    if (key.includes("@") || writable.has(key)) continue;
    if (known.has(key)) return { code: "NotSupported", message: `${pascal(key)} invalid for create.`, intune: true };
    return {
      code: "ModelValidationFailure",
      message: `The property '${key}' does not exist on type '${serviceType(odataType)}'. Make sure to only use property names that are defined by the type.`,
    };
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The scheduled actions a compliance policy is created with. The metadata's descriptions are the
 * rules: scheduledActionsForRule "is a required property when creating any individual per-platform
 * compliance policies"; a policy "must have one and only one block scheduled action"; actionType is
 * one of deviceComplianceActionType; gracePeriodHours "Valid values 0 to 8760". Other actions
 * (notification, retire, …) are allowed beside the block. The texts of these refusals are the
 * emulator's: Graph's are not published.
 */
function actionsProblem(rules: unknown): CreateProblem | undefined {
  if (!Array.isArray(rules) || rules.length === 0 || !rules.every(isObject))
    return { code: "BadRequest", message: "scheduledActionsForRule is required to create a compliance policy." };
  const ruleType = TYPES["#microsoft.graph.deviceComplianceScheduledActionForRule"]!;
  const actionType = TYPES["#microsoft.graph.deviceComplianceActionItem"]!;
  let blocks = 0;
  for (const rule of rules) {
    const problem = propertiesProblem(ruleType, "#microsoft.graph.deviceComplianceScheduledActionForRule", rule, [
      "scheduledActionConfigurations",
    ]);
    if (problem) return problem;
    const actions = rule.scheduledActionConfigurations;
    if (!Array.isArray(actions) || !actions.every(isObject))
      return { code: "BadRequest", message: "scheduledActionConfigurations must be a list of actions." };
    for (const action of actions) {
      const actionProblem = propertiesProblem(actionType, "#microsoft.graph.deviceComplianceActionItem", action);
      if (actionProblem) return actionProblem;
      if (!(ACTION_TYPES as readonly unknown[]).includes(action.actionType))
        return { code: "BadRequest", message: `'${String(action.actionType)}' is not a deviceComplianceActionType.` };
      const hours = action.gracePeriodHours ?? 0;
      if (!Number.isInteger(hours) || (hours as number) < 0 || (hours as number) > MAX_GRACE_PERIOD_HOURS)
        return {
          code: "BadRequest",
          message: `gracePeriodHours must be a whole number from 0 to ${MAX_GRACE_PERIOD_HOURS}.`,
        };
      if (action.actionType === "block") blocks++;
    }
  }
  if (blocks !== 1)
    return { code: "BadRequest", message: "A compliance policy must have one and only one block scheduled action." };
  return undefined;
}

/** Why Graph would refuse to create this policy (undefined when it would accept it). */
export function createProblem(family: PolicyFamily, body: Record<string, unknown>): CreateProblem | undefined {
  // A collection without derived types (the settings catalog, the scripts) may leave @odata.type out.
  const collection = COLLECTIONS[family];
  const odataType =
    typeof body["@odata.type"] === "string"
      ? body["@odata.type"]
      : collection.implied
        ? `#${collection.root}`
        : undefined;
  if (!odataType)
    return { code: "BadRequest", message: "A derived type ('@odata.type') is required to create this resource." };
  const problem = propertyProblem(family, odataType, body);
  if (problem) return problem;
  if (family === "configurationPolicies") {
    if (typeof body.name !== "string" || !body.name)
      return { code: "BadRequest", message: "The 'name' property is required." };
    if (!body.platforms || !body.technologies)
      return { code: "BadRequest", message: "The 'platforms' and 'technologies' properties are required." };
    return templateProblem(body.templateReference);
  }
  if (typeof body[collection.nameProperty] !== "string" || !body[collection.nameProperty])
    return { code: "BadRequest", message: `The '${collection.nameProperty}' property is required.` };
  return family === "deviceCompliancePolicies" ? actionsProblem(body.scheduledActionsForRule) : undefined;
}

/**
 * A catalog policy's template must be one Graph has (the emulator knows Microsoft's endpoint-security
 * templates, emulator/intune-endpoint-security.ts); the text of this refusal is the emulator's.
 */
export function templateProblem(reference: unknown): CreateProblem | undefined {
  if (resolvedTemplateReference(reference)) return undefined;
  const id = String((reference as { templateId?: unknown }).templateId);
  return { code: "BadRequest", message: `No configuration policy template with id '${id}' exists.` };
}

/** The rules as stored: ids are Graph's own, and the rule name is always PasswordRequired. */
export function storedRules(rules: unknown): ComplianceRule[] {
  return (rules as { scheduledActionConfigurations: Record<string, unknown>[] }[]).map((rule) => ({
    id: crypto.randomUUID(),
    ruleName: RULE_NAME,
    scheduledActionConfigurations: rule.scheduledActionConfigurations.map((a) => ({
      id: crypto.randomUUID(),
      actionType: String(a.actionType),
      gracePeriodHours: Number(a.gracePeriodHours ?? 0),
      notificationTemplateId: String(a.notificationTemplateId ?? ""),
      notificationMessageCCList: Array.isArray(a.notificationMessageCCList)
        ? a.notificationMessageCCList.map(String)
        : [],
    })),
  }));
}
