import { pruneTenant } from "@/lib/maintenance/prune";
import type { Retention } from "@/lib/maintenance/retention";
import type { OperationHandler } from "../types";

/** `maintenance.prune`: one tenant's history past retention, deleted in short batches (no Graph). */
export const pruneOldRecords: OperationHandler<Retention> = async (ctx) => {
  await pruneTenant(ctx.db, {
    tenantId: ctx.tenant.id,
    retention: ctx.inputs,
    signal: ctx.signal,
    progress: ctx.progress,
  });
};
