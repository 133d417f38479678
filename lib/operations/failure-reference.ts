import { randomBytes } from "node:crypto";

/**
 * An unknown error's text (a driver's message with its SQL and bound values, a stack) is for the
 * server log only: a run keeps a fixed message and a reference that finds the full error there.
 */
export const UNEXPECTED_FAILURE_MESSAGE = "An unexpected error stopped the work. Its details are in the server log.";

/** A short random id that ties a stored failure to its log line (48 bits: unique enough to grep). */
export const newFailureReference = (): string => randomBytes(6).toString("hex");
