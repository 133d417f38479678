/**
 * Domain errors raised by the data-access layer. Pages turn NotFoundError into a 404; actions turn
 * the others into readable form errors. None of them carries a stack trace to the browser.
 */
export class NotFoundError extends Error {
  constructor(what = "resource") {
    super(`The ${what} was not found.`);
    this.name = "NotFoundError";
  }
}

export class ForbiddenError extends Error {
  constructor(message = "You do not have permission to do that.") {
    super(message);
    this.name = "ForbiddenError";
  }
}

export type FieldErrors = Record<string, string[] | undefined>;

export class InputError extends Error {
  constructor(
    message: string,
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(message);
    this.name = "InputError";
  }
}

/** The inputs do not match the operation's schema; `fieldErrors` names each field and why. */
export class InvalidInputsError extends InputError {
  constructor(fieldErrors: FieldErrors) {
    super("The operation inputs are not valid.", fieldErrors);
    this.name = "InvalidInputsError";
  }
}

/** What an action may tell the browser about an error: domain messages as they are, nothing else. */
export function publicMessage(err: unknown): string {
  if (err instanceof NotFoundError || err instanceof ForbiddenError || err instanceof InputError) return err.message;
  console.error("[action] unexpected error:", err);
  return "Something went wrong on the server. Please try again.";
}
