export {};

/**
 * `npm run bench`: every benchmark, one after the other (BENCH=queue, monitoring, sync, restore, prune, audit,
 * fleet, export or explorer for one); BENCH=chaos, BENCH=live, BENCH=scale and BENCH=http only when asked.
 * Figures are printed as markdown tables; docs/benchmarks.md records them with their context.
 */
const only = process.env.BENCH;
if (!only || only === "queue") await import("./queue");
if (!only || only === "monitoring") await import("./monitoring");
if (!only || only === "sync") await import("./sync");
if (!only || only === "restore") await import("./restore");
if (!only || only === "prune") await import("./prune");
if (!only || only === "audit") await import("./audit");
if (!only || only === "fleet") await import("./fleet");
if (!only || only === "export") await import("./export");
if (!only || only === "explorer") await import("./explorer");
// Only when asked: they need a production build (npm run build) and take minutes.
if (only === "chaos") await import("./chaos");
if (only === "live") await import("./live");
if (only === "scale") await import("./scale");
if (only === "http") await import("./http");
process.exit(0);
