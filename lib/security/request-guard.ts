/**
 * Hostile or broken request bodies get a 4xx with a sentence, before Next.js or a route sees them.
 * Left to Next.js, a server action body over its limit, an action body that is not JSON and a
 * multipart body that does not parse all end in a 500 (its action handler maps every decode error
 * to one), which reads as the console failing rather than the request being wrong.
 */

/**
 * The most a request body may hold: also Next.js's `serverActions.bodySizeLimit` (next.config.mjs).
 * The largest legitimate body is a backup of 5,000 selected policies, about 225 kB of ids.
 */
export const REQUEST_BODY_LIMIT_BYTES = 1024 * 1024;
const LIMIT_LABEL = "1 MB";

const WITH_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const refuse = (status: number, message: string) =>
  new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

const tooLarge = () => refuse(413, `The request body is larger than ${LIMIT_LABEL}.`);

type BodyKind = "multipart" | "json" | "other";

function bodyKind(request: Request): BodyKind {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) return "multipart";
  // A server action's arguments come as text/plain when React encodes them as one JSON string.
  if (type.startsWith("application/json") || (isServerAction(request) && type.startsWith("text/plain"))) return "json";
  return "other";
}

const isServerAction = (request: Request) => request.headers.has("next-action");

/** A 413 or 400 answer for a body that is too large or does not parse; undefined lets it through. */
export async function refuseMalformedBody(request: Request): Promise<Response | undefined> {
  if (!WITH_BODY.has(request.method)) return undefined;
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > REQUEST_BODY_LIMIT_BYTES) return tooLarge();
  const kind = bodyKind(request);
  if (isServerAction(request) && kind === "other")
    return refuse(400, "A server action's body must be form data or JSON.");
  // A body of unknown length is read (up to the proxy's own buffer) to learn its size.
  if (kind === "other" && declared !== null) return undefined;
  const body = await request.clone().arrayBuffer();
  if (body.byteLength > REQUEST_BODY_LIMIT_BYTES) return tooLarge();
  if (kind === "multipart") {
    const headers = { "content-type": request.headers.get("content-type")! };
    const parsed = await new Response(body, { headers }).formData().then(
      () => true,
      () => false,
    );
    if (!parsed) return refuse(400, "The form data in this request could not be read.");
  }
  if (kind === "json" && !isJson(body)) return refuse(400, "The request body is not valid JSON.");
  return undefined;
}

function isJson(body: ArrayBuffer): boolean {
  try {
    JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    return true;
  } catch {
    return false;
  }
}
