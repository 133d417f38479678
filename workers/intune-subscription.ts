import { type Client, GraphError } from "@microsoft/microsoft-graph-client";

/**
 * Whether the tenant has Intune: `deviceManagement.subscriptionState` (v1.0 metadata enum
 * deviceManagementSubscriptionState: pending, active, warning, disabled, deleted, blocked,
 * lockedOut), "notLicensed" when Intune answers "Request not applicable to target tenant.", or
 * "unknown" when Graph would not say (the app may read neither Intune service nor configuration).
 */
export type IntuneStatus = string;

export async function readIntuneStatus(graph: Client, signal: AbortSignal): Promise<IntuneStatus> {
  try {
    // Graph leaves subscriptionState out unless it is selected (microsoft-graph-docs-contrib#9111).
    const body = (await graph
      .api("/deviceManagement")
      .version("v1.0")
      .select("subscriptionState")
      .option("signal", signal)
      .get()) as { subscriptionState?: unknown };
    return typeof body.subscriptionState === "string" ? body.subscriptionState : "unknown";
  } catch (err) {
    if (
      !(err instanceof GraphError) ||
      err.statusCode < 400 ||
      err.statusCode >= 500 ||
      [408, 429].includes(err.statusCode)
    )
      throw err; // transient: the run retries
    return err.statusCode === 400 && /not applicable to target tenant/i.test(err.message) ? "notLicensed" : "unknown";
  }
}
