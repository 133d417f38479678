import type { PolicyFamily } from "@/db/schema";
import { referenceRefusal } from "@/lib/restores/references";

/**
 * A policy that references nothing of its tenant but groups (which a restore maps), so it can be
 * restored into any tenant: tests of cross-tenant restores pick these.
 */
export const restorableAnywhere = (p: { family: PolicyFamily; content: Record<string, unknown> }) =>
  referenceRefusal({ family: p.family, content: p.content }, { crossTenant: true, mapping: {} }) === undefined;
