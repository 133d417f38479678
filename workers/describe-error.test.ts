import { GraphError } from "@microsoft/microsoft-graph-client";
import { describe, expect, it } from "vitest";
import { OperationError } from "@/lib/operations/errors";
import { UNEXPECTED_FAILURE_MESSAGE } from "@/lib/operations/failure-reference";
import { describeError } from "./describe-error";

function graphError(status: number, code: string | null, message: string, requestId: string | null = null) {
  const error = new GraphError(status, message);
  error.code = code;
  error.requestId = requestId;
  return error;
}

describe("describeError", () => {
  it("passes an OperationError through as the handler worded it, not retried unless it says so", () => {
    expect(describeError(new OperationError("bad_secret", "The client secret is wrong."))).toEqual({
      code: "bad_secret",
      message: "The client secret is wrong.",
      retryable: false,
      item: undefined,
    });
    expect(describeError(new OperationError("busy", "Try later.", { retryable: true, item: "Policy A" }))).toEqual({
      code: "busy",
      message: "Try later.",
      retryable: true,
      item: "Policy A",
    });
  });

  it("names Graph's status, error code and request-id so the operator can quote them", () => {
    expect(describeError(graphError(403, "Forbidden", "Missing role.", "req-42"))).toEqual({
      code: "graph_Forbidden",
      message: "Microsoft Graph answered 403 Forbidden: Missing role. (request-id req-42)",
      retryable: false,
    });
  });

  it("falls back to the status for the code when Graph sent none", () => {
    expect(describeError(graphError(502, null, "Bad gateway"))).toEqual({
      code: "graph_502",
      message: "Microsoft Graph answered 502: Bad gateway",
      retryable: true,
    });
  });

  it("retries throttling, timeouts, server errors and network errors, and nothing else from Graph", () => {
    const retryable = (status: number) => describeError(graphError(status, null, "x")).retryable;
    for (const status of [408, 429, 500, 503, 504]) expect(retryable(status), String(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 412]) expect(retryable(status), String(status)).toBe(false);
  });

  it("describes a network failure (status -1) in words rather than as a status", () => {
    expect(describeError(graphError(-1, null, "socket hang up"))).toEqual({
      code: "graph_-1",
      message: "Microsoft Graph answered with a network error: socket hang up",
      retryable: true,
    });
  });

  it("calls an aborted signal an interruption worth retrying", () => {
    const reason = AbortSignal.abort().reason as unknown;
    expect(describeError(reason)).toMatchObject({ code: "aborted", retryable: true });
    const named = Object.assign(new Error("stop"), { name: "AbortError" });
    expect(describeError(named).code).toBe("aborted");
  });

  it("wraps anything else, thrown values that are not errors included, as an unexpected error to retry", () => {
    expect(describeError(new TypeError("x is not a function"))).toEqual({
      code: "unexpected_error",
      message: UNEXPECTED_FAILURE_MESSAGE,
      retryable: true,
      reference: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
    expect(describeError("plain string").message).toBe(UNEXPECTED_FAILURE_MESSAGE);
    expect(describeError(undefined).message).toBe(UNEXPECTED_FAILURE_MESSAGE);
    // Each error gets its own reference, to find its own log line.
    expect(describeError(new Error("a")).reference).not.toBe(describeError(new Error("a")).reference);
    // Something only shaped like an abort is not one.
    expect(describeError({ name: "AbortError", message: "fake" }).code).toBe("unexpected_error");
  });
});
