import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { resolveAllowed } from "./resolve";
import { checkTargetUrl, TargetRefused } from "./target";

export type PostResult =
  | { ok: true; statusCode: number; latencyMs: number }
  | { ok: false; statusCode: number | null; error: string; latencyMs: number };

/** Bytes of a receiver's answer read (and dropped); the rest is not waited for. */
const MAX_ANSWER_BYTES = 16_384;

/**
 * One POST to a channel's receiver. The host is resolved here and the connection goes to an
 * address that passed `addressAllowed` (no second lookup a rebinding DNS could answer differently),
 * redirects are not followed (a 3xx is a failure), and the whole exchange has `timeoutMs`.
 */
export async function postJson(
  rawUrl: string,
  { body, headers, timeoutMs }: { body: string; headers: Record<string, string>; timeoutMs: number },
): Promise<PostResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = checkTargetUrl(rawUrl);
  } catch (err) {
    return { ok: false, statusCode: null, error: (err as Error).message, latencyMs: latency() };
  }
  const vettedLookup = ((hostname, options, callback) => {
    resolveAllowed(hostname).then(
      (addresses) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (options.all) (callback as (e: null, a: typeof usable) => void)(null, usable);
        else callback(null, usable[0]?.address ?? "", usable[0]?.family ?? 4);
      },
      (err: Error) => callback(err, "", 4),
    );
  }) as LookupFunction;

  return new Promise<PostResult>((resolve) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      lookup: vettedLookup,
      signal,
    });
    request.on("response", (response) => {
      let read = 0;
      const statusCode = response.statusCode ?? 0;
      const settle = () => {
        response.destroy();
        if (statusCode >= 200 && statusCode < 300) resolve({ ok: true, statusCode, latencyMs: latency() });
        else
          resolve({
            ok: false,
            statusCode,
            error:
              statusCode >= 300 && statusCode < 400
                ? `The receiver answered ${statusCode} (a redirect; redirects are not followed).`
                : `The receiver answered ${statusCode}.`,
            latencyMs: latency(),
          });
      };
      response.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) settle();
      });
      response.on("end", settle);
      response.on("error", settle);
    });
    request.on("error", (err) => {
      const error = signal.aborted
        ? `No answer within ${timeoutMs / 1000} s.`
        : err instanceof TargetRefused
          ? err.message
          : `Could not reach the receiver: ${(err as NodeJS.ErrnoException).code ?? err.message}.`;
      resolve({ ok: false, statusCode: null, error, latencyMs: latency() });
    });
    request.end(body);
  });
}
