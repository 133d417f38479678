import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { headers: IncomingHttpHeaders; body: string; at: number };

/**
 * A real HTTP receiver on 127.0.0.1 for alert tests: records every request and answers with what
 * `answer` decides (a status code, or "hang" to hold the request open until the server closes).
 */
export async function startReceiver(answer: (request: Received, index: number) => number | "hang" = () => 200) {
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      received.push(request);
      for (const wake of waiters.splice(0)) wake();
      const decision = answer(request, received.length - 1);
      if (decision === "hang") held.push(res);
      else res.writeHead(decision, { "content-type": "text/plain" }).end(decision < 300 ? "ok" : "no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/alerts`,
    received,
    /** Resolves once `count` requests have arrived (bounded by the test's timeout). */
    async until(count: number) {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return received;
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
