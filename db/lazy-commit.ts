import { sql } from "drizzle-orm";
import type { Db, Tx } from "./client";

/**
 * A transaction whose COMMIT does not wait for its WAL to reach disk (`synchronous_commit = off`,
 * for this transaction only). For a sync's page writes: a crash can lose only the last such commits,
 * never one in the middle (WAL is replayed in order), and the run's own completion commits
 * synchronously, flushing every page before it. A sync that loses pages to a crash is retried and
 * reads them again. Each page's commit then costs a round trip instead of a disk flush
 * (docs/benchmarks.md, "Syncs"). Never inside another transaction (SET LOCAL would reach its commit).
 */
export async function lazyCommit<T>(db: Db, write: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local synchronous_commit = off`);
    return write(tx);
  });
}
