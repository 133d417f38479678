/**
 * An error a handler raises on purpose: its code and message are shown to the operator as they are.
 * `retryable: false` ends the run at once (a wrong secret does not get better with retries).
 */
export class OperationError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly item?: string;

  constructor(code: string, message: string, options: { retryable?: boolean; item?: string } = {}) {
    super(message);
    this.name = "OperationError";
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.item = options.item;
  }
}
