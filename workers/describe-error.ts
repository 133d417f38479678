import { GraphError } from "@microsoft/microsoft-graph-client";
import { isConnectionLost } from "@/db/connection-lost";
import { GraphUnreachableError } from "@/lib/graph/unreachable";
import { OperationError } from "@/lib/operations/errors";
import { newFailureReference, UNEXPECTED_FAILURE_MESSAGE } from "@/lib/operations/failure-reference";
import { describeAccessFailure } from "./access-failure";

/** `reference`: set for an unknown error, whose full text goes to the log under it, never to the run. */
export type DescribedError = { code: string; message: string; retryable: boolean; item?: string; reference?: string };

const INTERRUPTED: DescribedError = {
  code: "aborted",
  message: "The work was interrupted (job expired or worker stopping).",
  retryable: true,
};

/**
 * Turns anything a handler throws into a failure an operator can read, and whether to retry.
 * Knowing the run's operation, a refusal for want of a permission or an Intune licence says which.
 */
export function describeError(err: unknown, operation?: string): DescribedError {
  if (err instanceof OperationError) {
    return { code: err.code, message: err.message, retryable: err.retryable, item: err.item };
  }
  if (err instanceof GraphUnreachableError) return unreachable(err.message);
  if (err instanceof GraphError) {
    // The Graph client wraps what fetch threw: its name becomes the code, its message the message.
    if (err.statusCode === -1 && (err.code === "AbortError" || err.code === "TimeoutError")) return INTERRUPTED;
    if (err.statusCode === -1 && err.code === "GraphUnreachable") return unreachable(err.message);
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
  if (err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError")) return INTERRUPTED;
  if (isConnectionLost(err)) {
    const reason = rootMessage(err);
    return {
      code: "database_unreachable",
      message: `The console's database could not be reached during this attempt (${reason}).`,
      retryable: true,
    };
  }
  // Anything else may carry SQL, bound values or internals: every viewer of the run would see them.
  return {
    code: "unexpected_error",
    message: UNEXPECTED_FAILURE_MESSAGE,
    retryable: true,
    reference: newFailureReference(),
  };
}

function unreachable(detail: string): DescribedError {
  return {
    code: "graph_unreachable",
    message: `Microsoft Graph could not be reached: ${detail}. Check that the worker can reach it.`,
    retryable: true,
  };
}

/** The driver's own words under drizzle's "Failed query: …" wrapper. */
function rootMessage(err: unknown): string {
  let current = err as { message?: string; cause?: unknown } | undefined;
  while (current?.cause && typeof current.cause === "object") current = current.cause as typeof current;
  return current?.message || "connection lost";
}
