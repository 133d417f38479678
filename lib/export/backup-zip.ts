import "server-only";
import { Readable } from "node:stream";
import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { ZipFile } from "yazl";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { backupItems, backupSets, entraGroups, type PolicyFamily } from "@/db/schema";
import { recordAudit, userAuditActor } from "@/lib/audit/record";
import { InputError, NotFoundError } from "@/lib/errors";
import { INTUNE_TYPES, isAssignable } from "@/lib/intune/types";
import { FAMILY_LABELS } from "@/lib/inventory/queries";
import { UUID_PATTERN } from "@/lib/pagination";
import { maskPolicySecrets, seesSecrets } from "@/lib/secrets/policy-masking";
import { requireTenantAccess } from "@/lib/tenants/access";
import { backupZipFileName, entryNamer } from "./file-names";
import { inline } from "./markdown";
import { assignedGroupIds, policySection } from "./policy-document";

/**
 * A sealed backup set as a zip, streamed: one JSON file per item (the content as read from Graph,
 * secrets replaced by EXPORTED_SECRET) and `backup.md`, the whole set in Markdown.
 *
 * Items are read in keyset batches of BATCH, each only when the zip has taken the one before, so
 * the serving process holds about two batches whatever the set's size, the first bytes leave before
 * the last item is read, and a client that goes away stops the reading. The Markdown (the first
 * entry) and the JSON files are two passes over the same sealed, immutable rows.
 *
 * yazl writes the zip (ZIP64 when needed, UTF-8 names, no native code, two small dependencies):
 * archiver pulls in a dozen packages for formats we do not need, and hand-written zip code is the
 * kind that breaks on the 65,536th entry.
 */

const BATCH = 100;
export const EXPORTED_SECRET = "(secret: never exported)";
export const MARKDOWN_ENTRY = "backup.md";
/** Bytes the response may hold unread before the zip stops taking entries. */
const RESPONSE_BUFFER_BYTES = 256 * 1024;

type ExportRequest = {
  actor: { userId: string; name: string };
  tenantId: string;
  backupSetId: string;
  /** The request's signal: aborts the reading when the client goes away. */
  signal?: AbortSignal;
};

type Item = { id: string; policyId: string; family: string; name: string; content: Record<string, unknown> };

/** How far an export read: rows read over both passes (the JSON files and the Markdown). */
export type ExportProgress = { itemsRead: number; done: boolean };

/**
 * Authorizes (viewer of the tenant), checks the set is sealed, audits, and starts the stream.
 * A set of another tenant, or none, is NotFoundError; an unsealed one InputError.
 */
export async function openBackupExport(db: DbOrTx, { actor, tenantId, backupSetId, signal }: ExportRequest) {
  const { tenant, role } = await requireTenantAccess(db, { userId: actor.userId, tenantId, minRole: "viewer" });
  const release = takeExportSlot(actor.userId);
  try {
    if (!z.uuid().safeParse(backupSetId).success) throw new NotFoundError("backup");
    const [set] = await db
      .select()
      .from(backupSets)
      .where(and(eq(backupSets.tenantId, tenant.id), eq(backupSets.id, backupSetId)));
    if (!set) throw new NotFoundError("backup");
    if (!set.completedAt) {
      throw new InputError(
        "This backup never completed (its run did not finish): only a complete backup can be exported.",
      );
    }
    await recordAudit(db, {
      actor: userAuditActor(actor),
      tenantId: tenant.id,
      action: "backup.export",
      target: { type: "backup_set", id: set.id, label: set.name },
      outcome: "success",
      details: { items: set.itemCount },
    });
    const progress: ExportProgress = { itemsRead: 0, done: false };
    const stream = zipStream(db, {
      set: { ...set, tenantName: tenant.displayName, keepScripts: seesSecrets(role) },
      progress,
      signal,
      release,
    });
    return {
      fileName: backupZipFileName({ tenantName: tenant.displayName, takenAt: set.createdAt }),
      stream,
      progress,
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** Exports at once per user and per process: each deflates and masks every item (CPU), so a few suffice. */
const EXPORTS_PER_USER = 2;
const EXPORTS_PER_PROCESS = 4;
const running = new Map<string, number>();
let runningTotal = 0;

/** Too many exports at once: try again when one has finished. */
export class ExportBusyError extends Error {}

/** A slot for one export, or ExportBusyError; the returned function gives it back (once). */
function takeExportSlot(userId: string): () => void {
  const mine = running.get(userId) ?? 0;
  if (mine >= EXPORTS_PER_USER || runningTotal >= EXPORTS_PER_PROCESS)
    throw new ExportBusyError(
      mine >= EXPORTS_PER_USER
        ? `You are already downloading ${mine} backups: wait until one has finished.`
        : "The server is busy with other downloads: try again in a minute.",
    );
  running.set(userId, mine + 1);
  runningTotal += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    runningTotal -= 1;
    const left = (running.get(userId) ?? 1) - 1;
    if (left > 0) running.set(userId, left);
    else running.delete(userId);
  };
}

type SetToExport = {
  id: string;
  tenantId: string;
  tenantName: string;
  name: string;
  createdAt: Date;
  itemCount: number;
  /** Script contents stay for those who may see secrets (policy-masking.ts). */
  keepScripts: boolean;
};

function zipStream(
  db: DbOrTx,
  {
    set,
    progress,
    signal,
    release,
  }: { set: SetToExport; progress: ExportProgress; signal?: AbortSignal; release: () => void },
) {
  const zip = new ZipFile();
  // yazl's output is a PassThrough (its types say only NodeJS.ReadableStream).
  const out = zip.outputStream as Readable;
  const stopped = new AbortController();
  const stop = () => stopped.abort();
  // However it ends (finished, failed, cancelled), the readers stop and the slot is given back:
  // a failed read would otherwise leave the other pass waiting for a zip that no longer reads.
  out.once("error", stop);
  out.once("close", () => {
    stop();
    release();
  });
  signal?.addEventListener("abort", stop, { once: true });
  const read = (label: string) => readItems(db, { set, progress, signal: stopped.signal, label });
  const options = { mtime: set.createdAt };

  const markdown = Readable.from(markdownChunks(db, set, read("markdown")));
  // yazl pipes the entry's stream and does not listen for its errors: a failed read fails the zip.
  markdown.once("error", (error) => out.destroy(error));
  zip.addReadStream(markdown, MARKDOWN_ENTRY, options);
  const body = toWebStream(out, stop);
  stopped.signal.addEventListener("abort", () => {
    markdown.destroy();
    out.destroy();
  });

  void (async () => {
    const names = entryNamer();
    for await (const batch of read("json")) {
      // yazl asks for an entry's data when it starts writing that entry: when it asks for the
      // batch's last one, the rest are written, and the next batch may be read.
      const lastAsked = new Promise<void>((resolve) => {
        batch.forEach((item, i) =>
          addLazyEntry(zip, {
            name: names(entryOf(item)),
            options,
            data: Buffer.from(`${JSON.stringify(exportedContent(item, set), null, 2)}\n`),
            onAsked: i === batch.length - 1 ? resolve : undefined,
          }),
        );
      });
      await Promise.race([lastAsked, aborted(stopped.signal)]);
    }
    if (stopped.signal.aborted) return;
    zip.end();
    progress.done = true;
  })().catch((error: unknown) => out.destroy(error as Error));
  return body;
}

/**
 * One entry whose data yazl takes when it gets to it. yazl keeps every entry (for the central
 * directory) and its data function with it: the data is dropped once handed over, and the
 * function's closure holds nothing else (not the batch), or a whole set would stay in memory.
 */
function addLazyEntry(
  zip: ZipFile,
  { name, options, data, onAsked }: { name: string; options: { mtime: Date }; data: Buffer; onAsked?: () => void },
) {
  let pending: Buffer | undefined = data;
  zip.addReadStreamLazy(name, options, (ready) => {
    const body = pending!;
    pending = undefined;
    onAsked?.();
    ready(null, Readable.from([body]));
  });
}

/** The item's content as it leaves the console: no sealed secrets, every secret value masked. */
export const exportedContent = (
  item: { content: Record<string, unknown> },
  { keepScripts }: { keepScripts: boolean } = { keepScripts: false },
) => maskPolicySecrets(item.content, { marker: EXPORTED_SECRET, keepScripts });

const entryOf = (item: Item) => ({ folder: item.family, name: item.name, id: item.policyId });
const familyLabel = (family: string) => (FAMILY_LABELS as Record<string, string>)[family] ?? family;
// A family the catalogue no longer knows keeps its Assignments table (what it was read with).
const assignable = (family: string) => !(family in INTUNE_TYPES) || isAssignable(family as PolicyFamily);

/**
 * The set's items in keyset batches by (name, id) (backup_items_set_idx). Each batch is one short
 * query: no transaction stays open while a slow client reads. The set is sealed, so both passes
 * see the same rows; if it is deleted meanwhile, the count is short and the stream fails rather
 * than ending as a smaller, valid-looking zip.
 */
async function* readItems(
  db: DbOrTx,
  { set, progress, signal, label }: { set: SetToExport; progress: ExportProgress; signal: AbortSignal; label: string },
): AsyncGenerator<Item[]> {
  let after: { name: string; id: string } | undefined;
  let count = 0;
  while (!signal.aborted) {
    const where: (SQL | undefined)[] = [eq(backupItems.tenantId, set.tenantId), eq(backupItems.backupSetId, set.id)];
    if (after) {
      where.push(sql`(${backupItems.name}, ${backupItems.id}) > (${after.name}, ${after.id}::uuid)`);
    }
    const batch = await db
      .select({
        id: backupItems.id,
        policyId: backupItems.policyId,
        family: backupItems.family,
        name: backupItems.name,
        content: backupItems.content,
      })
      .from(backupItems)
      .where(and(...where))
      .orderBy(asc(backupItems.name), asc(backupItems.id))
      .limit(BATCH);
    if (signal.aborted) return;
    progress.itemsRead += batch.length;
    count += batch.length;
    if (batch.length) yield batch;
    if (batch.length < BATCH) break;
    after = batch.at(-1)!;
  }
  if (!signal.aborted && count !== set.itemCount) {
    throw new Error(`The backup changed during its export (${label}: ${count} of ${set.itemCount} items).`);
  }
}

async function* markdownChunks(db: DbOrTx, set: SetToExport, batches: AsyncGenerator<Item[]>) {
  yield [
    `# ${inline(set.name)}\n\n`,
    `- Tenant: ${inline(set.tenantName)}\n`,
    `- Taken: ${set.createdAt.toISOString()}\n`,
    `- Policies: ${set.itemCount}\n\n`,
    "One JSON file per policy beside this document holds the policy as Graph returned it. ",
    "Secret values (passwords, keys, encrypted OMA-URI values) are never exported: they read ",
    `"${EXPORTED_SECRET}" and must be entered again after a restore from these files.\n\n`,
  ].join("");
  const names = entryNamer();
  for await (const batch of batches) {
    const groupNames = await groupNamesOf(db, set.tenantId, batch);
    yield batch
      .map((item) =>
        policySection({
          name: item.name,
          typeLabel: familyLabel(item.family),
          assignable: assignable(item.family),
          fileName: names(entryOf(item)),
          content: exportedContent(item, set),
          groupNames,
        }),
      )
      .join("");
  }
}

/** Names of the groups a batch's assignments name, from the directory cache (one query). */
async function groupNamesOf(db: DbOrTx, tenantId: string, batch: Item[]): Promise<Map<string, string>> {
  const ids = [...new Set(batch.flatMap((item) => assignedGroupIds(item.content)))].filter((id) =>
    UUID_PATTERN.test(id),
  );
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: entraGroups.id, name: entraGroups.displayName })
    .from(entraGroups)
    .where(and(eq(entraGroups.tenantId, tenantId), inArray(entraGroups.id, ids)));
  return new Map(rows.map((r) => [r.id, r.name]));
}

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });

/**
 * The zip's output as a web stream that reads only as fast as the client: it pauses the zip when
 * RESPONSE_BUFFER_BYTES wait unread, and a cancel (the client went away) stops everything.
 */
function toWebStream(out: Readable, onCancel: () => void): ReadableStream<Uint8Array> {
  // After a cancel (or the end) the controller is closed: what `out` still emits is dropped.
  let settled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        out.on("data", (chunk: Buffer) => {
          if (settled) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) out.pause();
        });
        out.once("end", () => {
          if (!settled) controller.close();
          settled = true;
        });
        out.once("error", (error) => {
          if (!settled) controller.error(error);
          settled = true;
        });
        out.pause();
      },
      pull() {
        out.resume();
      },
      cancel() {
        settled = true;
        onCancel();
      },
    },
    { highWaterMark: RESPONSE_BUFFER_BYTES, size: (chunk) => chunk.byteLength },
  );
}
