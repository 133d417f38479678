import { type Client, GraphError } from "@microsoft/microsoft-graph-client";
import type { PolicyFamily } from "@/db/schema";
import { createdFrom } from "@/lib/intune/created-by";
import { intuneType } from "@/lib/intune/types";
import { ItemRefusal } from "@/lib/restores/item-refusal";

/**
 * Before an object is made from another entity (an intent from its template), that entity must be in
 * the tenant and usable: Microsoft's templates carry the same ids in every tenant, but a tenant may
 * not offer one (retired, or not licensed), and "Intents cannot be created from a deprecated template"
 * (beta deviceManagementTemplate.isDeprecated). Either is the item's own failure, named, not a crash.
 */
export async function requireCreatedFrom(
  graph: Client,
  { family, content, signal }: { family: PolicyFamily; content: Record<string, unknown>; signal: AbortSignal },
): Promise<void> {
  const { createdBy } = intuneType(family);
  if (!createdBy) return;
  const id = createdFrom(createdBy, content);
  let template: { displayName?: unknown; isDeprecated?: unknown };
  try {
    template = await graph
      .api(`${createdBy.on}/${encodeURIComponent(id)}`)
      .version("beta")
      .option("signal", signal)
      .get();
  } catch (err) {
    if (err instanceof GraphError && (err.statusCode === 404 || err.statusCode === 400))
      throw new ItemRefusal(
        "template_missing",
        `Not created: its template ${id} is not in this tenant (Graph answered ${err.statusCode}). It can only be made from that template.`,
      );
    throw err;
  }
  if (template.isDeprecated === true)
    throw new ItemRefusal(
      "template_deprecated",
      `Not created: its template “${String(template.displayName ?? id)}” is deprecated in this tenant, and Graph makes no new intents from a deprecated template.`,
    );
}
