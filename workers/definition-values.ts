import type { Client } from "@microsoft/microsoft-graph-client";
import { definitionValuesRevert } from "@/lib/drift/revert-values";
import { type BackedUpValue, definitionIdOf, definitionValuesUpdate } from "@/lib/intune/definition-values";
import type { PagedPart } from "@/lib/intune/types";
import { settled } from "./consistency";
import { pages, readPagedPart } from "./intune";

/**
 * Gives a configuration created from a backup (administrative templates) the backup's values with
 * `updateDefinitionValues`, after reading which it holds already: a retry after a create whose
 * values were not sent (or only partly) adds what is missing, never a second value of a definition.
 * Right after the create the object may answer 404 while it replicates (workers/consistency.ts).
 * Returns the values left out, each named.
 */
export async function completeDefinitionValues(
  graph: Client,
  {
    policyPath,
    values,
    crossTenant,
    graphUrl,
    createdAt,
    signal,
  }: {
    policyPath: string;
    values: BackedUpValue[];
    crossTenant: boolean;
    graphUrl: string;
    createdAt?: number;
    signal: AbortSignal;
  },
): Promise<string[]> {
  const present = await settled(() => presentDefinitions(graph, policyPath, signal), { createdAt, signal });
  const { body, leftOut } = definitionValuesUpdate(values, { present, crossTenant, graphUrl });
  if (body) await graph.api(`${policyPath}/updateDefinitionValues`).version("beta").option("signal", signal).post(body);
  return leftOut;
}

/**
 * Puts an existing configuration's values back to `values` (drift's Revert in place): reads what it
 * holds now, values and options, and sends one `updateDefinitionValues` that deletes the values that
 * differ and adds the baseline's (lib/drift/revert-values.ts). Returns the values left out, named.
 */
export async function revertDefinitionValues(
  graph: Client,
  {
    policyPath,
    part,
    values,
    crossTenant,
    graphUrl,
    signal,
  }: {
    policyPath: string;
    part: PagedPart;
    values: BackedUpValue[];
    crossTenant: boolean;
    graphUrl: string;
    signal: AbortSignal;
  },
): Promise<string[]> {
  const current = (await readPagedPart(graph, { base: policyPath, part, signal })) as BackedUpValue[];
  const { body, leftOut } = definitionValuesRevert(values, current, { crossTenant, graphUrl });
  if (body) await graph.api(`${policyPath}/updateDefinitionValues`).version("beta").option("signal", signal).post(body);
  return leftOut;
}

async function presentDefinitions(graph: Client, policyPath: string, signal: AbortSignal) {
  const present = new Set<string>();
  for await (const page of pages<BackedUpValue>(graph, `${policyPath}/definitionValues?$expand=definition`, signal))
    for (const value of page) {
      const id = definitionIdOf(value);
      if (id) present.add(id);
    }
  return present;
}
