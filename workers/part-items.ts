import type { Client } from "@microsoft/microsoft-graph-client";
import type { PolicyFamily } from "@/db/schema";
import { navigationPart, partChanges } from "@/lib/intune/part-items";
import { partOf } from "@/lib/intune/types";
import { settled } from "./consistency";
import { readPagedPart } from "./intune";

/**
 * Gives an object the items of its part that are entities of their own navigation (a notification
 * template's localized messages), after reading which it holds: a restore (`exact: false`) creates
 * the missing ones and corrects the ones that differ, so a retry after a partial write adds only what
 * is missing; drift's Revert (`exact: true`) also deletes the ones the baseline does not have.
 * Right after the create the object may answer 404 while it replicates (workers/consistency.ts).
 * Does nothing for a type whose part is not set this way. Returns how many writes it sent.
 */
export async function setPartItems(
  graph: Client,
  {
    family,
    policyPath,
    content,
    exact,
    createdAt,
    signal,
  }: {
    family: PolicyFamily;
    policyPath: string;
    content: Record<string, unknown>;
    exact: boolean;
    createdAt?: number;
    signal: AbortSignal;
  },
): Promise<number> {
  const part = navigationPart(family);
  if (!part) return 0;
  const current = await settled(() => readPagedPart(graph, { base: policyPath, part, signal }), { createdAt, signal });
  const changes = partChanges(part, { wanted: partOf(family, content), current, exact });
  const path = `${policyPath}/${part.property}`;
  const api = (url: string) => graph.api(url).version("beta").option("signal", signal);
  for (const body of changes.create) await api(path).post(body);
  for (const { id, body } of changes.update) await api(`${path}/${id}`).patch(body);
  for (const id of changes.remove) await api(`${path}/${id}`).delete();
  return changes.create.length + changes.update.length + changes.remove.length;
}
