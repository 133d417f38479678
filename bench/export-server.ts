import { createServer } from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebStream } from "node:stream/web";
import { createDb } from "@/db/client";
import { openBackupExport } from "@/lib/export/backup-zip";

/**
 * The serving process of BENCH=export, alone in its own process so its RSS is the export's: a bare
 * HTTP server that answers GET /<userId>/<tenantId>/<setId> with the zip (as the console's route
 * does), GET /peak with its peak RSS since the last /peak (sampled every 10 ms), and GET /live with
 * its live heap after a full garbage collection (what the process really holds at that moment).
 */
const { db } = createDb(process.env.BENCH_DATABASE_URL!, { max: 4, statementTimeoutMs: 0 });
let peak = process.memoryUsage().rss;
setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10).unref();

const server = createServer(async (req, res) => {
  if (req.url === "/peak") {
    res.end(JSON.stringify({ peak }));
    peak = process.memoryUsage().rss;
    return;
  }
  if (req.url === "/live") {
    global.gc!();
    res.end(JSON.stringify({ heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss }));
    return;
  }
  const [userId, tenantId, backupSetId] = req.url!.split("/").slice(1);
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const { stream } = await openBackupExport(db, {
    actor: { userId: userId!, name: "Bench" },
    tenantId: tenantId!,
    backupSetId: backupSetId!,
    signal: abort.signal,
  });
  res.writeHead(200, { "content-type": "application/zip" });
  Readable.fromWeb(stream as NodeWebStream<Uint8Array>).pipe(res);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" ? address?.port : address}`);
});
