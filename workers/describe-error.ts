import { GraphError } from "@microsoft/microsoft-graph-client";
import { OperationError } from "@/lib/operations/errors";
import { describeAccessFailure } from "./access-failure";

export type DescribedError = { code: string; message: string; retryable: boolean; item?: string };

/**
 * Turns anything a handler throws into a failure an operator can read, and whether to retry.
 * Knowing the run's operation, a refusal for want of a permission or an Intune licence says which.
 */
export function describeError(err: unknown, operation?: string): DescribedError {
  if (err instanceof OperationError) {
    return { code: err.code, message: err.message, retryable: err.retryable, item: err.item };
  }
  if (err instanceof GraphError) {
    const access = operation ? describeAccessFailure(err, operation) : undefined;
    if (access) return access;
    const status = err.statusCode;
    const transient = status === -1 || status === 408 || status === 429 || status >= 500;
    const requestId = err.requestId ? ` (request-id ${err.requestId})` : "";
    return {
      code: `graph_${err.code ?? status}`,
      message: `Microsoft Graph answered ${status > 0 ? status : "with a network error"}${err.code ? ` ${err.code}` : ""}: ${err.message}${requestId}`,
      retryable: transient,
    };
  }
  if (err instanceof Error && err.name === "AbortError") {
    return { code: "aborted", message: "The work was interrupted (job expired or worker stopping).", retryable: true };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: "unexpected_error", message: `Unexpected error: ${message}`, retryable: true };
}
