import type { PolicyFamily } from "@/db/schema/inventory";
import { intuneType, isBuiltInDefault } from "./types";

/**
 * The `setPriority` body that puts a restored or reverted object back at its backup's (or
 * baseline's) rank among its kind: undefined for a type that is not ranked, for a tenant default
 * (priority 0, never moved) and for content without a rank. Graph renumbers the others itself.
 */
export function priorityBody(
  family: PolicyFamily,
  content: Record<string, unknown>,
): { action: "setPriority"; body: { priority: number } } | undefined {
  const priority = content.priority;
  if (intuneType(family).rankedBy !== "setPriority" || isBuiltInDefault(family, content)) return undefined;
  if (typeof priority !== "number" || !Number.isInteger(priority) || priority < 1) return undefined;
  return { action: "setPriority", body: { priority } };
}

/** A write body without the rank, which only `setPriority` sets (a create or a PATCH carrying it is refused). */
export function withoutRank(family: PolicyFamily, body: Record<string, unknown>): Record<string, unknown> {
  if (!intuneType(family).rankedBy) return body;
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== "priority"));
}
