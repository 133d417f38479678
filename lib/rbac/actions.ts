"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { delegatedToken } from "@/lib/auth/delegated";
import { actorOf, requireUser } from "@/lib/auth/session";
import type { GroupSearchResult } from "@/lib/directory/group-search";
import { graphConfig } from "@/lib/env";
import { InputError, publicMessage } from "@/lib/errors";
import { searchGroupsAsUser } from "@/lib/graph/delegated-group-search";
import { runUrl } from "@/lib/operations/links";
import { operationDeps } from "@/lib/operations/runtime";
import { startOperation } from "@/lib/operations/start";
import { requireTenantAccess } from "@/lib/tenants/access";

const search = z.object({ tenantId: z.uuid(), q: z.string().max(120), after: z.string().max(2000).optional() });

/**
 * The RBAC wizard's group search: live, in Entra ID, with the signed-in user's own delegated token
 * — on the user's typing only. Without a delegated token (a password session) it refuses.
 */
export async function searchDirectoryGroupsAction(
  tenantId: string,
  q: string,
  after?: string,
): Promise<GroupSearchResult> {
  const user = await requireUser();
  const parsed = search.safeParse({ tenantId, q, after });
  if (!parsed.success) return { error: "Search for up to 120 characters." };
  try {
    const { tenant } = await requireTenantAccess(getDb(), user.id, parsed.data.tenantId, "operator");
    const delegated = await delegatedToken();
    if ("missing" in delegated) return { error: delegated.missing };
    if (delegated.tenantGuid && delegated.tenantGuid !== tenant.tenantGuid) {
      return {
        error:
          "Your Microsoft sign-in belongs to another tenant: sign in with an account of this tenant to search its groups.",
      };
    }
    return await searchGroupsAsUser(graphConfig(), delegated.accessToken, parsed.data.q, parsed.data.after);
  } catch (err) {
    return { error: publicMessage(err) };
  }
}

export type RoleAssignState = { error?: string; alreadyRunning?: string } | undefined;

/** Parses "id|name" pairs as the picker submits them. */
const groupsFrom = (values: FormDataEntryValue[]) =>
  values.map(String).map((v) => {
    const at = v.indexOf("|");
    return at < 0 ? { id: v, name: "" } : { id: v.slice(0, at), name: v.slice(at + 1) };
  });

/** The wizard's start: enqueue `rbac.assign` and go to its run. */
export async function startRoleAssignmentAction(
  tenantId: string,
  _prev: RoleAssignState,
  formData: FormData,
): Promise<RoleAssignState> {
  const user = await requireUser();
  if (!z.uuid().safeParse(tenantId).success) return { error: "This assignment cannot be started here." };
  const inputs = {
    roleDefinitionId: String(formData.get("roleDefinitionId") ?? ""),
    displayName: String(formData.get("displayName") ?? ""),
    members: groupsFrom(formData.getAll("member")),
    scopes: groupsFrom(formData.getAll("scope")),
  };
  let location: string;
  try {
    const { run, created } = await startOperation(
      await operationDeps(),
      actorOf(user),
      tenantId,
      "rbac.assign",
      inputs,
    );
    location = runUrl(tenantId, run.id);
    if (!created) return { alreadyRunning: location };
  } catch (err) {
    if (err instanceof InputError && Object.keys(err.fieldErrors).length) {
      return { error: Object.values(err.fieldErrors).flat().filter(Boolean).join(" ") || err.message };
    }
    return { error: publicMessage(err) };
  }
  redirect(location);
}
