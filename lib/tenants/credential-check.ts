import "server-only";
import { InputError } from "@/lib/errors";
import type { AppCredentials } from "@/lib/graph/identity";
import { requestAppToken } from "@/lib/graph/identity";
import { createHttpFetch } from "@/lib/graph/transport";
import { OperationError } from "@/lib/operations/errors";

/** Where the identity platform is (GRAPH_URL, LOGIN_URL, GRAPH_CA_FILE: lib/env.ts graphConfig). */
export type IdentityConfig = { graphUrl: string; loginUrl: string; caFile?: string };

/**
 * Signs in as the app to the tenant (client credentials), the same sign-in tenant.verify starts
 * with: a token from `{loginUrl}/{tenantGuid}` proves the app id and secret authenticate to that
 * Entra tenant. A refusal becomes an InputError in the identity platform's plain words
 * (lib/graph/identity.ts), so the settings form can say what to fix.
 */
export async function checkAppCredentials(
  config: IdentityConfig,
  credentials: AppCredentials,
  field: "clientSecret" | "clientId",
): Promise<void> {
  try {
    await requestAppToken(createHttpFetch(config.caFile), {
      loginUrl: config.loginUrl,
      graphUrl: config.graphUrl,
      credentials,
    });
  } catch (err) {
    if (!(err instanceof OperationError)) throw err;
    const message = `Nothing was changed: the app could not sign in to this tenant. ${err.message}`;
    throw new InputError(message, { [field]: [err.message] });
  }
}
