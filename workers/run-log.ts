import { componentLog, type Logger } from "@/lib/log";

/** The logger of one run's lines: every line names the run, its tenant, its pg-boss job and its type. */
export const runLog = (run: { id: string; tenantId: string; type: string; jobId: string | null }): Logger =>
  componentLog("worker", { runId: run.id, tenantId: run.tenantId, jobId: run.jobId, type: run.type });
