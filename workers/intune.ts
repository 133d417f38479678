import { type Client, GraphError } from "@microsoft/microsoft-graph-client";
import type { PolicyFamily } from "@/db/schema";
import { withoutExpandContext } from "@/lib/graph/compliance-actions";
import { INTUNE_TYPE_KEYS, INTUNE_TYPES, intuneType, isAssignable, type PagedPart } from "@/lib/intune/types";
import type { PolicySnapshot } from "@/lib/inventory/policies";

/** Reading Intune policies through Graph (beta: the settings catalog exists only there). */
export type Page<T> = { value: T[]; "@odata.nextLink"?: string };
export type GraphPolicy = Record<string, unknown> & { id: string; displayName?: string; name?: string };

/** Each type's collection path (lib/intune/types.ts). */
export const FAMILY_PATHS = Object.fromEntries(INTUNE_TYPE_KEYS.map((k) => [k, INTUNE_TYPES[k].collection])) as Record<
  PolicyFamily,
  string
>;

/** Every page of a collection, one page in memory at a time (absolute https nextLinks followed). */
export async function* pages<T>(graph: Client, path: string, signal: AbortSignal): AsyncGenerator<T[]> {
  let url: string | undefined = path;
  while (url) {
    signal.throwIfAborted();
    const page = (await graph.api(url).version("beta").option("signal", signal).get()) as Page<T>;
    yield page.value;
    url = page["@odata.nextLink"];
  }
}

/**
 * An object's assignments (for a type the console assigns) and, as its type's descriptor says, what its listing leaves out: the
 * object again by id when a property returned only there is missing (compliance actions, script
 * content), and every page of its settings (the settings catalog).
 */
export async function readPolicy(
  graph: Client,
  { family, policy, signal }: { family: PolicyFamily; policy: GraphPolicy; signal: AbortSignal },
): Promise<PolicySnapshot> {
  const type = intuneType(family);
  const base = `${type.collection}/${policy.id}`;
  // A type the console does not assign has no `assignments` to read (an assignment filter has no such navigation).
  const assignments: Page<{ target?: Record<string, unknown> }> = isAssignable(family)
    ? await graph.api(`${base}/assignments`).version("beta").option("signal", signal).get()
    : { value: [] };
  const incomplete = type.readById?.properties.some((p) => policy[p] === undefined || policy[p] === null);
  const body = incomplete ? await getPolicyObject(graph, { family, id: policy.id, signal }) : policy;
  const snapshot: PolicySnapshot = { family, body, assignments: assignments.value };
  if (type.pagedPart) snapshot.part = await readPagedPart(graph, { base, part: type.pagedPart, signal });
  return snapshot;
}

const withExpand = (path: string, expand?: string) => (expand ? `${path}?$expand=${expand}` : path);

/** Every page of a paged part, and of each item's own collection when the part has one. */
export async function readPagedPart(
  graph: Client,
  { base, part, signal }: { base: string; part: PagedPart; signal: AbortSignal },
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of pages<Record<string, unknown>>(
    graph,
    withExpand(`${base}/${part.property}`, part.expand),
    signal,
  ))
    items.push(...page);
  if (!part.each) return items;
  for (const item of items) {
    const nested: unknown[] = [];
    const path = withExpand(`${base}/${part.property}/${String(item.id)}/${part.each.property}`, part.each.expand);
    for await (const page of pages<unknown>(graph, path, signal)) nested.push(...page);
    item[part.each.property] = nested;
  }
  return items;
}

/** The object itself (for a backup taken now, not what the last sync saw), with what only a read by id returns. */
export async function getPolicyObject(
  graph: Client,
  { family, id, signal }: { family: PolicyFamily; id: string; signal: AbortSignal },
): Promise<GraphPolicy> {
  const type = intuneType(family);
  const request = graph.api(`${type.collection}/${id}`).version("beta").option("signal", signal);
  const expand = type.readById?.expand;
  if (!expand) return (await request.get()) as GraphPolicy;
  // Compliance actions are contained navigation properties, returned only when expanded.
  return withoutExpandContext((await request.expand(expand).get()) as GraphPolicy);
}

/** A Graph answer that retrying will not change (the item itself is the problem). */
export const isPermanent = (err: unknown): err is GraphError =>
  err instanceof GraphError &&
  err.statusCode >= 400 &&
  err.statusCode < 500 &&
  err.statusCode !== 408 &&
  err.statusCode !== 429;

export const itemFailure = (err: GraphError, item: string) => ({
  code: `graph_${err.code ?? err.statusCode}`,
  message: `Graph answered ${err.statusCode}: ${err.message}`,
  item,
});
