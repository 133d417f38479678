import { acceptFinding } from "@/lib/drift/accept";
import { actionableFindingOf } from "@/lib/drift/findings";
import { InputError } from "@/lib/errors";
import { OperationError } from "@/lib/operations/errors";
import type { OperationHandler } from "../types";

/**
 * drift.accept: what one finding saw becomes the baseline for that policy (lib/drift/accept.ts).
 * Database only; the content is the one detection read and the owner looked at, not a new read.
 */
export const acceptDrift: OperationHandler<{ findingId: string }> = async (ctx) => {
  const finding = await actionableFindingOf(ctx.db, {
    tenantId: ctx.run.tenantId,
    findingId: ctx.inputs.findingId,
  }).catch((err: unknown) => {
    throw err instanceof InputError ? new OperationError("finding_missing", err.message) : err;
  });
  await acceptFinding(ctx.db, { tenantId: ctx.run.tenantId, runId: ctx.run.id, finding });
  await ctx.progress({ accepted: 1 });
};
