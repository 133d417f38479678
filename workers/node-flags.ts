/**
 * Node/V8 flags the worker process is started with. Every launcher of `workers/main.ts` passes them
 * (scripts/start.ts, e2e/support/cluster.ts, tests/support/worker-main.ts, bench/console.ts), and
 * package.json's `worker` script spells them out (workers/node-flags.test.ts keeps it in step).
 * They must be on the command line: V8 sizes its heap when the process starts, so setting them from
 * inside the worker (v8.setFlagsFromString) has no effect.
 *
 * `--max-semi-space-size=8`: a young generation of 2 × 8 MB instead of 2 × 16 MB. A sync's garbage is
 * promoted to the old generation (undici fetch's per-request objects survive young collections
 * through its weak references and finalization registries), and V8 lets the old generation grow to
 * several times what is live before a full collection; the process keeps the pages it grew. With the
 * smaller young generation the worker's peak after a 10,000-policy inventory and a 50,000-group sync
 * is ~280 MB instead of ~305 MB (issue 15 §4: ≤ 300 MB), at no throughput cost measurable on this
 * machine (docs/benchmarks.md, "Syncs against the emulator"; docs/decisions.md).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8"];
