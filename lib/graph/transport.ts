import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { Agent, fetch as undiciFetch } from "undici";
import { explainFetchFailure } from "./unreachable";

/**
 * HTTPS for Graph and the identity platform. Trusts the public roots plus, when configured, one
 * extra CA (the emulator's) — scoped to these calls, not the whole process.
 */
let agent: Agent | undefined;
let agentCaFile: string | undefined;

function dispatcher(caFile: string | undefined): Agent {
  if (!agent || agentCaFile !== caFile) {
    const ca = caFile ? [...rootCertificates, readFileSync(caFile, "utf8")] : undefined;
    agent = new Agent({ connect: ca ? { ca } : {}, keepAliveTimeout: 10_000 });
    agentCaFile = caFile;
  }
  return agent;
}

export type HttpFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

export function createHttpFetch(caFile: string | undefined): HttpFetch {
  return (input, init) =>
    (undiciFetch(input, { ...(init as object), dispatcher: dispatcher(caFile) }) as unknown as Promise<Response>).catch(
      (err: unknown) => {
        throw explainFetchFailure(err, input);
      },
    );
}
