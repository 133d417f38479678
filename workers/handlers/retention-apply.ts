import { applyRetention } from "@/lib/retention/apply";
import type { OperationHandler } from "../types";

/** `retention.apply`: the tenant's backup sets past its retention, deleted one short transaction each (no Graph). */
export const applyBackupRetention: OperationHandler<Record<string, never>> = async (ctx) => {
  await applyRetention(ctx.db, {
    runId: ctx.run.id,
    tenantId: ctx.run.tenantId,
    signal: ctx.signal,
    progress: ctx.progress,
  });
};
