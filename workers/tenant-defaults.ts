import type { Client } from "@microsoft/microsoft-graph-client";
import type { PolicyFamily } from "@/db/schema";
import { intuneType, isBuiltInDefault } from "@/lib/intune/types";
import { ItemRefusal } from "@/lib/restores/item-refusal";
import { pages } from "./intune";

/**
 * Puts a backed-up (or baselined) tenant default into this tenant by updating this tenant's own
 * default of the same `@odata.type` in place (lib/intune/types.ts `builtInDefault`): Microsoft makes
 * one in every tenant and it can be neither created nor deleted, so a restore or a Revert never
 * creates a second. A PATCH is safe to repeat. Returns the updated default's id.
 */
export async function updateTenantDefault(
  graph: Client,
  {
    family,
    content,
    body,
    signal,
  }: { family: PolicyFamily; content: Record<string, unknown>; body: Record<string, unknown>; signal: AbortSignal },
): Promise<string> {
  const { collection } = intuneType(family);
  let id: string | undefined;
  for await (const page of pages<Record<string, unknown>>(graph, collection, signal)) {
    const found = page.find((o) => o["@odata.type"] === content["@odata.type"] && isBuiltInDefault(family, o));
    if (found) {
      id = String(found.id);
      break;
    }
  }
  if (!id)
    throw new ItemRefusal(
      "default_missing",
      `Not sent to Graph: this tenant has no default of type ${String(content["@odata.type"])} to update, and a default cannot be created.`,
    );
  await graph
    .api(`${collection}/${id}`)
    .version("beta")
    .option("signal", signal)
    .patch({ ...body, "@odata.type": content["@odata.type"] });
  return id;
}
