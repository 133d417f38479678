"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import type { GroupSearchResult } from "@/lib/directory/group-search";
import { listCachedGroups } from "@/lib/directory/groups";
import { InvalidInputsError } from "@/lib/errors";
import { startAction } from "@/lib/operations/start-action";
import { defineAction, field, fields } from "@/lib/safe-action";
import { requireTenantAccess } from "@/lib/tenants/access";
import { mappingFrom } from "./wizard";

/** The wizard's last step: enqueue `restore.execute` and go to the run. Every field is checked again. */
export const startRestoreAction = startAction({
  type: "restore.execute",
  inputs: (form) => ({
    backupSetId: field(form, "backup"),
    itemIds: fields(form, "item"),
    mapping: mappingFrom(fields(form, "map")),
    unmapped: field(form, "unmapped") || "skip",
  }),
  refuse: (err) =>
    err instanceof InvalidInputsError
      ? `The restore form is not valid (${Object.keys(err.fieldErrors).join(", ")}). Go back a step and choose again.`
      : undefined,
});

const search = defineAction(
  {
    input: z.object({ tenantId: z.uuid(), q: z.string().trim().max(120), after: z.string().max(400).optional() }),
    invalid: "Search for up to 120 characters.",
  },
  async ({ tenantId, q, after }, { user }): Promise<GroupSearchResult> => {
    await requireTenantAccess(getDb(), { userId: user.id, tenantId, minRole: "operator" });
    const { items, next } = await listCachedGroups(getDb(), { tenantId, q, after, pageSize: 20 });
    return { groups: items.map((g) => ({ id: g.id, displayName: g.displayName, detail: g.mail })), next };
  },
);

/**
 * The mapping step's picker: searches this tenant's directory cache (the database, never Graph),
 * only on the user's typing.
 */
export async function searchCachedGroupsAction(
  tenantId: string,
  q: string,
  after?: string,
): Promise<GroupSearchResult> {
  return search({ tenantId, q, after });
}
