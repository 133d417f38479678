/**
 * Which Graph requests the client may send again by itself after a 429, 503 or 504 (the statuses
 * the SDK's RetryHandler retries). Resending is only safe when a second copy of the request cannot
 * change more than the first did:
 *
 * - GET, HEAD, PUT, DELETE: idempotent by HTTP's definition (RFC 9110 §9.2.2).
 * - PATCH: not idempotent in HTTP in general, but a Graph update sets the properties it names to
 *   the values it carries (the "Update …" reference pages: existing properties not in the body keep
 *   their previous values); sending it twice leaves the same object.
 * - POST `…/assign`: Intune's assign action replaces the whole assignment set with the one posted
 *   (microsoft/Intune-PowerShell-SDK#70, microsoftgraph/powershell-intune-samples#36), so sending
 *   it twice gives the same set.
 * - POST `…/targetApps`: app protection's action sets the policy's whole list of apps to those
 *   posted (the CSDL has no action that removes an app, so it cannot be additive; the targetApps
 *   pages, intune-mam-*-targetapps, take the full `apps` collection), so sending it twice gives the same list.
 * - Any other POST (a create) only after a 429: Graph's throttling guidance says a throttled request
 *   fails and is to be retried after Retry-After (or a backoff when there is none)
 *   (learn.microsoft.com/graph/throttling, "What happens when throttling occurs?", "Best practices
 *   to handle throttling"). After a 503 or 504 the create may have happened: it is not resent here,
 *   the caller looks for what it made (lib/graph/create-once.ts).
 */
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"]);
const IDEMPOTENT_ACTIONS = [/\/assign$/, /\/targetApps$/];

export function mayResend({ method, url, status }: { method: string | undefined; url: string; status: number }) {
  const verb = (method ?? "GET").toUpperCase();
  if (IDEMPOTENT_METHODS.has(verb)) return true;
  if (verb !== "POST") return false;
  if (status === 429) return true;
  const path = new URL(url).pathname;
  return IDEMPOTENT_ACTIONS.some((action) => action.test(path));
}
