export {};

/**
 * `npm run bench`: every benchmark, one after the other (BENCH=queue, monitoring, sync, restore or prune for one).
 * Figures are printed as markdown tables; docs/benchmarks.md records them with their context.
 */
const only = process.env.BENCH;
if (!only || only === "queue") await import("./queue");
if (!only || only === "monitoring") await import("./monitoring");
if (!only || only === "sync") await import("./sync");
if (!only || only === "restore") await import("./restore");
if (!only || only === "prune") await import("./prune");
process.exit(0);
