export {};
/**
 * `npm run bench`: every benchmark, one after the other (BENCH=queue, monitoring or sync for one).
 * Figures are printed as markdown tables; docs/benchmarks.md records them with their context.
 */
const only = process.env.BENCH;
if (!only || only === "queue") await import("./queue");
if (!only || only === "monitoring") await import("./monitoring");
if (!only || only === "sync") await import("./sync");
process.exit(0);
