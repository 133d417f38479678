import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { NotFoundError } from "@/lib/errors";
import { requireTenantAccess } from "@/lib/tenants/access";
import { requireUser } from "./session";

/** For tenant pages: the signed-in member and their role, or a 404 for everyone else. */
export const tenantPageAccess = cache(async (tenantId: string) => {
  const user = await requireUser();
  return { user, ...(await orNotFound(() => requireTenantAccess(getDb(), { userId: user.id, tenantId }))) };
});

/** Runs a data-layer read; a NotFoundError becomes the page's 404. */
export async function orNotFound<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof NotFoundError) notFound();
    throw err;
  }
}
