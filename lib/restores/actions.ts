"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { actorOf, requireUser } from "@/lib/auth/session";
import type { GroupSearchResult } from "@/lib/directory/group-search";
import { listCachedGroups } from "@/lib/directory/groups";
import { InputError, publicMessage } from "@/lib/errors";
import { runUrl } from "@/lib/operations/links";
import { operationDeps } from "@/lib/operations/runtime";
import { startOperation } from "@/lib/operations/start";
import { requireTenantAccess } from "@/lib/tenants/access";
import { mappingFrom } from "./wizard";

export type RestoreStartState = { error?: string; alreadyRunning?: string } | undefined;

/** The wizard's last step: enqueue `restore.execute` and go to the run. Every field is checked again. */
export async function startRestoreAction(
  tenantId: string,
  _prev: RestoreStartState,
  formData: FormData,
): Promise<RestoreStartState> {
  const user = await requireUser();
  if (!z.uuid().safeParse(tenantId).success) return { error: "This restore cannot be started here." };
  const inputs = {
    backupSetId: String(formData.get("backup") ?? ""),
    itemIds: formData.getAll("item").map(String),
    mapping: mappingFrom(formData.getAll("map").map(String)),
    unmapped: String(formData.get("unmapped") ?? "skip"),
  };
  let location: string;
  try {
    const { run, created } = await startOperation(
      await operationDeps(),
      actorOf(user),
      tenantId,
      "restore.execute",
      inputs,
    );
    location = runUrl(tenantId, run.id);
    if (!created) return { alreadyRunning: location };
  } catch (err) {
    if (err instanceof InputError && err.message === "The operation inputs are not valid.") {
      return {
        error: `The restore form is not valid (${Object.keys(err.fieldErrors).join(", ")}). Go back a step and choose again.`,
      };
    }
    return { error: publicMessage(err) };
  }
  redirect(location);
}

const search = z.object({ tenantId: z.uuid(), q: z.string().trim().max(120), after: z.string().max(400).optional() });

/**
 * The mapping step's picker: searches this tenant's directory cache (the database, never Graph),
 * only on the user's typing.
 */
export async function searchCachedGroupsAction(
  tenantId: string,
  q: string,
  after?: string,
): Promise<GroupSearchResult> {
  const user = await requireUser();
  const parsed = search.safeParse({ tenantId, q, after });
  if (!parsed.success) return { error: "Search for up to 120 characters." };
  try {
    await requireTenantAccess(getDb(), user.id, parsed.data.tenantId, "operator");
    const { items, next } = await listCachedGroups(
      getDb(),
      parsed.data.tenantId,
      { q: parsed.data.q, after: parsed.data.after },
      20,
    );
    return { groups: items.map((g) => ({ id: g.id, displayName: g.displayName, detail: g.mail })), next };
  } catch (err) {
    return { error: publicMessage(err) };
  }
}
