import "server-only";
import { headers } from "next/headers";
import { clientAddress } from "@/lib/auth/client-address";
import { env } from "@/lib/env";

/** The current request's client address for the audit log (server actions, route handlers). */
export async function requestClientAddress(): Promise<string | null> {
  const forwardedFor = (await headers()).get("x-forwarded-for");
  return clientAddress(forwardedFor, env().TRUSTED_PROXY_COUNT) ?? null;
}
