import type { GraphError } from "@microsoft/microsoft-graph-client";
import { INTUNE_OPERATIONS, OPERATION_PERMISSIONS } from "@/lib/operations/permissions";
import { type OperationType, operationLabel } from "@/lib/operations/registry";

type Described = { code: string; message: string; retryable: false };

/**
 * Intune wraps its own JSON in Graph's error message ("_version": 3, "Message": "Application is
 * not authorized … scopes: …  - Operation ID … - Activity ID … - Url …"); the readable part is the
 * sentence before its operation ids.
 */
export function readableGraphMessage(message: string): string {
  if (!message.trimStart().startsWith("{")) return message;
  try {
    const inner = (JSON.parse(message) as { Message?: unknown }).Message;
    return typeof inner === "string" ? inner.split(" - Operation ID")[0]! : message;
  } catch {
    return message;
  }
}

const known = (operation: string): operation is OperationType => operation in OPERATION_PERMISSIONS;

/** "DeviceManagementConfiguration.Read.All (or DeviceManagementConfiguration.ReadWrite.All)". */
function needs(operation: OperationType) {
  return OPERATION_PERMISSIONS[operation]
    .map(([first, ...others]) => (others.length ? `${first} (or ${others.join(", ")})` : first))
    .join(" and ");
}

/**
 * Graph refusing a whole operation for want of access, said with what to do about it: a 403 names
 * the application permissions the operation needs (Entra ID's own 403 does not name them), and
 * Intune's "Request not applicable to target tenant." says the tenant has no Intune subscription.
 * Undefined for anything else.
 */
export function describeAccessFailure(err: GraphError, operation: string): Described | undefined {
  if (!known(operation)) return undefined;
  const label = operationLabel(operation);
  const said = `${readableGraphMessage(err.message)}${err.requestId ? ` (request-id ${err.requestId})` : ""}`;
  if (err.statusCode === 403) {
    return {
      code: "graph_permission_missing",
      message: `Microsoft Graph refused ${label} (403 ${err.code ?? "Forbidden"}): ${said}. ${label} needs the application permission ${needs(operation)}, granted with admin consent; run Verify connection to see what the app has.`,
      retryable: false,
    };
  }
  if (
    err.statusCode === 400 &&
    INTUNE_OPERATIONS.includes(operation) &&
    /not applicable to target tenant/i.test(said)
  ) {
    return {
      code: "intune_not_licensed",
      message: `Microsoft Graph answered that this tenant has no Intune subscription (400: ${said}). ${label} needs an active Intune licence in the tenant.`,
      retryable: false,
    };
  }
  return undefined;
}
