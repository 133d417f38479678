import { type Client, GraphError } from "@microsoft/microsoft-graph-client";
import { and, desc, eq, inArray, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { graphCreateIntents, operationRuns } from "@/db/schema";
import { sleep } from "@/lib/sleep";
import { carriesMarker, markerOf } from "./create-marker";

/**
 * Graph creates that happen once, though their answer can be lost. Intune's creates take no
 * idempotency key, and a POST can be applied and still fail for the caller: a 5xx after the write,
 * a dropped connection, a worker killed or a run cancelled while the POST was in flight. So each
 * create is recorded before it is sent (graph_create_intents) and marks the object it makes
 * (lib/graph/create-marker.ts); when its answer is lost — now, in a retried attempt or in a later
 * run of the same work — the collection is listed and the object carrying the marker is adopted
 * instead of being created again. Intune does not support `$filter` on `description` (nor filter
 * functions on several of these collections: Microsoft365DSC#4597), so the match is the client's.
 */
export type CreateRequest = {
  runId: string;
  tenantId: string;
  /** The collection the object is listed in (beta), e.g. /deviceManagement/deviceConfigurations: posted to, and looked in. */
  collection: string;
  /**
   * Where the create is posted when that is not `collection`: an action bound to another entity that
   * makes the object (an intent's template's createInstance, lib/intune/created-by.ts). The object is
   * still looked for in `collection`.
   */
  postTo?: string;
  /** What is created: equal for a retry or a re-run of the same work (lib/graph/create-marker.ts, createKey). */
  itemKey: string;
  /** The POST body, with `marker` placed in its description. */
  body: (marker: string) => Record<string, unknown>;
  signal: AbortSignal;
  /**
   * Reuse an object an earlier run made for the same item, while it still exists in the tenant.
   * For work that puts one thing back (drift's Revert of a missing policy), where a second run must
   * finish the first's job rather than make a copy; not for a restore, where a re-run means "again".
   */
  reuseEarlier?: boolean;
};
export type Created = { id: string; adopted: boolean };

/** Pauses before each look for an object whose create answered 5xx or nothing: a gateway may answer before the write ends. */
const LOOKS_AFTER_LOST_ANSWER_MS = [1_000, 4_000, 10_000];
/** Sends of one create in one call; each after the previous one was looked for and not found. */
const MAX_SENDS = 3;

export async function createOnce(graph: Client, db: Db, request: CreateRequest): Promise<Created> {
  const reused = request.reuseEarlier ? await stillThere(graph, db, request) : undefined;
  if (reused) return reused;
  const adopted = await adoptEarlier(graph, db, request);
  if (adopted) return adopted;
  for (let send = 1; ; send++) {
    const [intent] = await db
      .insert(graphCreateIntents)
      .values({
        runId: request.runId,
        tenantId: request.tenantId,
        collection: request.collection,
        itemKey: request.itemKey,
      })
      .returning({ id: graphCreateIntents.id });
    const marker = markerOf(intent!.id);
    try {
      const created = (await graph
        .api(request.postTo ?? request.collection)
        .version("beta")
        .option("signal", request.signal)
        .post(request.body(marker))) as { id: string };
      await settle(db, intent!.id, { status: "created", objectId: created.id });
      return { id: created.id, adopted: false };
    } catch (err) {
      // Cancelled or shutting down: the intent stays pending for the next attempt or run to resolve.
      if (request.signal.aborted) throw err;
      if (refused(err)) {
        await settle(db, intent!.id, { status: "not_applied" });
        throw err;
      }
      for (const pause of LOOKS_AFTER_LOST_ANSWER_MS) {
        await sleep(pause, request.signal);
        const found = (await findMarked(graph, request, [marker])).get(marker);
        if (found) {
          await settle(db, intent!.id, { status: "adopted", objectId: found, adoptedByRunId: request.runId });
          return { id: found, adopted: true };
        }
      }
      await settle(db, intent!.id, { status: "not_applied" });
      if (send >= MAX_SENDS) throw err;
    }
  }
}

/** A refusal: Graph answered that it did not do it (4xx; a 429 is a throttled request, which fails). */
const refused = (err: unknown) =>
  err instanceof GraphError && err.statusCode >= 400 && err.statusCode < 500 && err.statusCode !== 408;

/**
 * Resolves creates of the same item whose answer never came: this run's earlier attempts, or an
 * earlier run that has ended (a run still going may yet record its own). Adopts the object one of
 * them made; those not found in the tenant were never applied.
 */
async function adoptEarlier(graph: Client, db: Db, request: CreateRequest): Promise<Created | undefined> {
  const pending = await db
    .select({ id: graphCreateIntents.id })
    .from(graphCreateIntents)
    .innerJoin(operationRuns, eq(operationRuns.id, graphCreateIntents.runId))
    .where(
      and(
        eq(graphCreateIntents.tenantId, request.tenantId),
        eq(graphCreateIntents.collection, request.collection),
        eq(graphCreateIntents.itemKey, request.itemKey),
        eq(graphCreateIntents.status, "pending"),
        or(eq(graphCreateIntents.runId, request.runId), eq(operationRuns.status, "completed")),
      ),
    );
  if (!pending.length) return undefined;
  const found = await findMarked(
    graph,
    request,
    pending.map((p) => markerOf(p.id)),
  );
  const hit = pending.find((p) => found.has(markerOf(p.id)));
  const rest = pending.filter((p) => p !== hit).map((p) => p.id);
  if (rest.length) await settle(db, rest, { status: "not_applied" });
  if (!hit) return undefined;
  const id = found.get(markerOf(hit.id))!;
  await settle(db, hit.id, { status: "adopted", objectId: id, adoptedByRunId: request.runId });
  return { id, adopted: true };
}

/**
 * The object the newest earlier create of the same item made, when the run that made (or reused) it
 * then failed or was cancelled — work left half done — and Graph still has it under the name it was
 * made with. When that run succeeded it finished its job, and what it made may since have been
 * renamed or repurposed: a new one is made. Reusing is recorded as an adoption by this run, so the
 * next look sees how this run ended.
 */
async function stillThere(graph: Client, db: Db, request: CreateRequest): Promise<Created | undefined> {
  const [newest] = await db
    .select({ objectId: graphCreateIntents.objectId, outcome: operationRuns.outcome })
    .from(graphCreateIntents)
    .innerJoin(operationRuns, eq(operationRuns.id, graphCreateIntents.runId))
    .where(
      and(
        eq(graphCreateIntents.tenantId, request.tenantId),
        eq(graphCreateIntents.collection, request.collection),
        eq(graphCreateIntents.itemKey, request.itemKey),
        inArray(graphCreateIntents.status, ["created", "adopted"]),
        eq(operationRuns.status, "completed"),
      ),
    )
    .orderBy(desc(graphCreateIntents.updatedAt))
    .limit(1);
  if (!newest?.objectId || !["failed", "cancelled"].includes(newest.outcome)) return undefined;
  let object: Record<string, unknown>;
  try {
    object = await graph
      .api(`${request.collection}/${newest.objectId}`)
      .version("beta")
      .option("signal", request.signal)
      .get();
  } catch (err) {
    if (err instanceof GraphError && err.statusCode === 404) return undefined;
    throw err;
  }
  const intended = request.body("");
  const nameOf = (o: Record<string, unknown>) => o.displayName ?? o.name;
  if (nameOf(object) !== nameOf(intended)) return undefined;
  await db.insert(graphCreateIntents).values({
    runId: request.runId,
    tenantId: request.tenantId,
    collection: request.collection,
    itemKey: request.itemKey,
    status: "adopted",
    objectId: newest.objectId,
    adoptedByRunId: request.runId,
  });
  return { id: newest.objectId, adopted: true };
}

/** The ids of the collection's objects that carry one of `markers`, by marker (every page is read). */
async function findMarked(
  graph: Client,
  { collection, signal }: Pick<CreateRequest, "collection" | "signal">,
  markers: string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let url: string | undefined = collection;
  while (url) {
    const page = (await graph.api(url).version("beta").option("signal", signal).get()) as {
      value: { id: string; description?: unknown }[];
      "@odata.nextLink"?: string;
    };
    for (const object of page.value)
      for (const marker of markers) if (carriesMarker(object, marker)) found.set(marker, object.id);
    url = page["@odata.nextLink"];
  }
  return found;
}

async function settle(
  db: Db,
  ids: string | string[],
  change: Pick<typeof graphCreateIntents.$inferInsert, "status" | "objectId" | "adoptedByRunId">,
) {
  await db
    .update(graphCreateIntents)
    .set({ ...change, updatedAt: new Date() })
    .where(inArray(graphCreateIntents.id, typeof ids === "string" ? [ids] : ids));
}
