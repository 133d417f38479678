import { hostname } from "node:os";

export type JobReceipt = { host: string; pid: number };

/**
 * Which process ran a job. A worker's handler returns it, so pg-boss stores it as the output of
 * every job the process completes (`pgboss.job.output`): in a fleet, an operator (and the fleet
 * test) can tell which worker took which run without a log search.
 */
export function jobReceipt(): JobReceipt {
  return { host: hostname(), pid: process.pid };
}
