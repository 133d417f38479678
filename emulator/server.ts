import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createEmulatorApp, type EmulatorState } from "./app";
import { createAccessState } from "./authorization";
import { loadOrCreateTls } from "./certs";
import { buildDirectory } from "./directory";
import { EventualConsistency } from "./eventual-consistency";
import { FaultBook } from "./faults";
import { GroupDirectory, seedGroups } from "./groups";
import { seedPolicies } from "./intune";
import { seedNesting } from "./nesting";
import { seedRbac } from "./rbac";
import { createTokenIssuer } from "./tokens";
import { WriteThrottle } from "./write-throttle";

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
  /** Groups generated per demo tenant (default 2,500). */
  groupsPerTenant?: number;
  /** Policies generated per demo tenant, 40 % configurations, 20 % compliance, 40 % settings catalog (default 320). */
  policiesPerTenant?: number;
  /** Lifetime of delegated (user) access tokens, in seconds (default 3,600). */
  userTokenSeconds?: number;
  /** Only the first N demo tenants (benchmarks use one). */
  tenantCount?: number;
  port?: number;
  host?: string;
  /** The Graph resource URI its tokens are for (default: its own URL, as a national cloud has its own host). */
  audience?: string;
};

function policyMix(total = 320) {
  const configurations = Math.round(total * 0.375);
  const compliance = Math.round(total * 0.25);
  return {
    deviceConfigurations: configurations,
    deviceCompliancePolicies: compliance,
    configurationPolicies: total - configurations - compliance,
  };
}

/** Starts the Graph + Entra emulator on loopback over HTTPS. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const tls = await loadOrCreateTls(options.tlsDir);
  const seed = options.seed ?? 1;
  const tenants = buildDirectory(seed).slice(0, options.tenantCount);
  const nesting = new Map(tenants.map((t) => [t.tenantId, seedNesting(seed, t.key)]));
  const groups = new Map(
    tenants.map((t) => [
      t.tenantId,
      [...seedGroups(seed, t.key, options.groupsPerTenant ?? 2500), ...nesting.get(t.tenantId)!.groups],
    ]),
  );
  const state: EmulatorState = {
    tenants,
    issuer: await createTokenIssuer(),
    audience: "", // set once the port is known, before the first request
    access: createAccessState(tenants.map((t) => t.tenantId)),
    faults: new FaultBook(),
    counts: new Map(),
    callers: new Map(),
    groups: new Map(
      tenants.map((t) => [
        t.tenantId,
        new GroupDirectory(groups.get(t.tenantId)!, nesting.get(t.tenantId)!.memberships),
      ]),
    ),
    signIns: { codes: new Map(), refreshTokens: new Map() },
    userTokenSeconds: options.userTokenSeconds ?? 3600,
    clockOffsetMs: 0,
    writeThrottle: new WriteThrottle(),
    consistency: new EventualConsistency(),
    volatileReads: new Set(),
    rbac: new Map(tenants.map((t) => [t.tenantId, seedRbac(seed, t.key, groups.get(t.tenantId)!)])),
    policies: new Map(
      tenants.map((t) => [
        t.tenantId,
        new Map(
          seedPolicies(seed, t.key, groups.get(t.tenantId)!, policyMix(options.policiesPerTenant)).map((p) => [
            p.body.id,
            p,
          ]),
        ),
      ]),
    ),
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
  const url = `https://localhost:${port}`;
  state.audience = options.audience ?? url;
  return {
    url,
    caFile: tls.caFile,
    state,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
