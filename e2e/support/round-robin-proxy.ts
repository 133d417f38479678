import http from "node:http";
import type { AddressInfo } from "node:net";

export type RoundRobinProxy = {
  url: string;
  /** Requests each backend answered, by port (a request that failed over counts where it landed). */
  readonly served: ReadonlyMap<number, number>;
  /** Requests each backend answered, by port and method ("POST 3317"), to tell actions from pages. */
  readonly servedByMethod: ReadonlyMap<string, number>;
  close(): Promise<void>;
};

/**
 * A load balancer in miniature: each request goes to the next backend in turn; a backend that
 * refuses the connection (stopped, or restarting) is skipped, as a health-checking balancer would.
 * Responses are streamed, so live updates (server-sent events) pass through.
 */
export async function startRoundRobinProxy(options: {
  backends: () => number[];
  port?: number;
}): Promise<RoundRobinProxy> {
  const served = new Map<number, number>();
  const servedByMethod = new Map<string, number>();
  let next = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const backends = options.backends();
      const tryBackend = (left: number) => {
        if (left === 0 || backends.length === 0) {
          res.writeHead(502, { "content-type": "text/plain" }).end("no web server is reachable");
          return;
        }
        const port = backends[next++ % backends.length]!;
        const upstream = http.request(
          { host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            served.set(port, (served.get(port) ?? 0) + 1);
            const key = `${req.method} ${port}`;
            servedByMethod.set(key, (servedByMethod.get(key) ?? 0) + 1);
            res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
            answer.pipe(res);
          },
        );
        upstream.on("error", (err: NodeJS.ErrnoException) => {
          // Nothing reached the backend: the next one may take it. Anything else is the client's answer.
          if (err.code === "ECONNREFUSED" && !res.headersSent) tryBackend(left - 1);
          else if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" }).end(err.message);
          else res.destroy(err);
        });
        res.on("close", () => upstream.destroy());
        upstream.end(body);
      };
      tryBackend(backends.length);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    served,
    servedByMethod,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
