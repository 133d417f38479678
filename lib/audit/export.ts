import "server-only";
import type { DbOrTx } from "@/db/client";
import { AUDIT_CSV_HEADER, auditCsvLine } from "./csv";
import { type AuditFilters, type AuditScope, listAuditEvents } from "./queries";

const EXPORT_PAGE = 1000;

/**
 * The events a list would show, as a CSV stream: one keyset page at a time, fetched when the client
 * reads, so a large export holds one page in memory and stops when the client goes away.
 */
export function auditCsvStream(db: DbOrTx, { scope, filters }: { scope: AuditScope; filters: AuditFilters }) {
  const encoder = new TextEncoder();
  let cursor = filters.cursor;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(AUDIT_CSV_HEADER));
    },
    async pull(controller) {
      if (done) return controller.close();
      const page = await listAuditEvents(db, { scope, filters: { ...filters, cursor }, pageSize: EXPORT_PAGE });
      controller.enqueue(encoder.encode(page.items.map(auditCsvLine).join("")));
      cursor = page.nextCursor ?? undefined;
      done = !cursor;
    },
  });
}

export function csvResponse(stream: ReadableStream<Uint8Array>, fileName: string): Response {
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
}
