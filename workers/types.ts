import type { Client } from "@microsoft/microsoft-graph-client";
import type { Db } from "@/db/client";
import type { OperationRun, RunFailure, SummaryCounts } from "@/db/schema";
import type { SecretBox } from "@/lib/crypto/secret-box";
import type { Logger } from "@/lib/log";

/** What a handler gets: its run, validated inputs, progress and failure reporting, cancellation. */
export type OperationContext<Inputs = Record<string, unknown>> = {
  run: OperationRun;
  /** The run's tenant (public fields; the secret stays behind `graph()`). */
  tenant: { id: string; tenantGuid: string; displayName: string };
  inputs: Inputs;
  db: Db;
  /** Aborted when the job expires, loses its claim or the worker shuts down. */
  signal: AbortSignal;
  /** Merge named counters into the run's summary (absolute values). */
  progress(counts: SummaryCounts): Promise<void>;
  /** Record an item that failed while the rest of the work goes on (→ partially_succeeded). */
  addFailure(failure: RunFailure): Promise<void>;
  /** The Graph root the worker is configured for (GRAPH_URL), for absolute URLs in bodies (`@odata.bind`). */
  graphUrl: string;
  /** App-only Microsoft Graph client for the run's tenant (client credentials). */
  graph(): Promise<Client>;
  /** Seals secrets read from Graph before they are stored, and opens them to write them back. */
  secretBox: SecretBox;
  /** The app-only access token that client sends (to read its granted permissions, for diagnostics). */
  appAccessToken(): Promise<string>;
  /** This attempt's logger: its lines carry runId, tenantId, jobId, type and attempt. */
  log: Logger;
};

export type OperationHandler<Inputs = Record<string, unknown>> = (ctx: OperationContext<Inputs>) => Promise<void>;
