"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { delegatedToken } from "@/lib/auth/delegated";
import type { GroupSearchResult } from "@/lib/directory/group-search";
import { graphConfig } from "@/lib/env";
import { InvalidInputsError } from "@/lib/errors";
import { findGroupAsUser, searchGroupsAsUser } from "@/lib/graph/delegated-group-search";
import { startAction } from "@/lib/operations/start-action";
import { defineAction, field, fields } from "@/lib/safe-action";
import { requireTenantAccess } from "@/lib/tenants/access";
import { cacheGroupsFoundLive } from "./resolve-groups";

const search = defineAction(
  {
    input: z.object({ tenantId: z.uuid(), q: z.string().max(120), after: z.string().max(2000).optional() }),
    invalid: "Search for up to 120 characters.",
  },
  async ({ tenantId, q, after }, { user }): Promise<GroupSearchResult> => {
    const { tenant } = await requireTenantAccess(getDb(), { userId: user.id, tenantId, minRole: "operator" });
    const delegated = await delegatedToken();
    if ("missing" in delegated) return { error: delegated.missing };
    if (delegated.tenantGuid && delegated.tenantGuid !== tenant.tenantGuid) {
      return {
        error:
          "Your Microsoft sign-in belongs to another tenant: sign in with an account of this tenant to search its groups.",
      };
    }
    return searchGroupsAsUser(graphConfig(), { accessToken: delegated.accessToken, q, after });
  },
);

/**
 * The RBAC wizard's group search: live, in Entra ID, with the signed-in user's own delegated token
 * — on the user's typing only. Without a delegated token (a password session) it refuses.
 */
export async function searchDirectoryGroupsAction(
  tenantId: string,
  q: string,
  after?: string,
): Promise<GroupSearchResult> {
  return search({ tenantId, q, after });
}

/** Parses "id|name" pairs as the picker submits them. */
const groupsFrom = (values: string[]) =>
  values.map((v) => {
    const at = v.indexOf("|");
    return at < 0 ? { id: v, name: "" } : { id: v.slice(0, at), name: v.slice(at + 1) };
  });

/**
 * The wizard's start: enqueue `rbac.assign` and go to its run. Only an owner may. Groups the
 * owner found live with their own token join the directory cache first; the start itself trusts
 * only the cache, never what the browser says a group is.
 */
export const startRoleAssignmentAction = startAction({
  type: "rbac.assign",
  inputs: async (form, { tenantId, actor }) => {
    const db = getDb();
    const { tenant } = await requireTenantAccess(db, { userId: actor.userId, tenantId, minRole: "owner" });
    const chosen = { members: groupsFrom(fields(form, "member")), scopes: groupsFrom(fields(form, "scope")) };
    const delegated = await delegatedToken();
    if ("accessToken" in delegated && (!delegated.tenantGuid || delegated.tenantGuid === tenant.tenantGuid)) {
      const find = (id: string) => findGroupAsUser(graphConfig(), { accessToken: delegated.accessToken, id });
      await cacheGroupsFoundLive(db, { tenantId, chosen, find });
    }
    // The start's check (checkRoleAssignment) names every group from the cache and refuses unknown ids.
    return { roleDefinitionId: field(form, "roleDefinitionId"), displayName: field(form, "displayName"), ...chosen };
  },
  refuse: (err) =>
    err instanceof InvalidInputsError
      ? Object.values(err.fieldErrors).flat().filter(Boolean).join(" ") || err.message
      : undefined,
});
