/**
 * PostgreSQL connections one worker process may open, sized from its concurrency C (jobs in flight
 * across every type). Pools open connections only when needed, so these are ceilings:
 *  - app pool (drizzle): C, one per running handler's statement, + 2 for the batched cancel check
 *    and the reaper;
 *  - pg-boss pool: C, one per lane's fetch or settle, + 2 for heartbeats and pg-boss's supervision;
 *  - 1 LISTEN connection for new-job notifications (pg-boss's own listener is off in workers).
 * Total 2·C + 5: 13 at the default C = 4.
 */
export function workerConnectionBudget(concurrency: number) {
  const app = concurrency + 2;
  const boss = concurrency + 2;
  const listen = 1;
  return { app, boss, listen, total: app + boss + listen };
}
