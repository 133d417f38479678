import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createEmulatorApp, type EmulatorState } from "./app";
import { loadOrCreateTls } from "./certs";
import { buildDirectory } from "./directory";
import { FaultBook } from "./faults";
import { createTokenIssuer } from "./tokens";

export type RunningEmulator = {
  url: string;
  caFile: string;
  state: EmulatorState;
  stop(): Promise<void>;
};

export type EmulatorOptions = {
  /** Where the CA and server certificate live (created on first start). */
  tlsDir: string;
  seed?: number;
  port?: number;
  host?: string;
};

/** Starts the Graph + Entra emulator on loopback over HTTPS. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const tls = await loadOrCreateTls(options.tlsDir);
  const state: EmulatorState = {
    tenants: buildDirectory(options.seed ?? 1),
    issuer: await createTokenIssuer(),
    faults: new FaultBook(),
    counts: new Map(),
  };
  const app = createEmulatorApp(state);
  const host = options.host ?? "127.0.0.1";
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: options.port ?? 0,
        hostname: host,
        createServer,
        serverOptions: { key: tls.keyPem, cert: tls.certPem },
      },
      () => resolve(s),
    );
    s.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://localhost:${port}`,
    caFile: tls.caFile,
    state,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
