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
import type { PolicyFamily } from "./intune-collections";
import { seedMobileApps } from "./intune-device-app-config";
import { seedNesting } from "./nesting";
import { seedRbac } from "./rbac";
import { FILTERED_TENANTS, seedReferences, withReferences } from "./references";
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
  /** Intune objects generated per demo tenant, spread over the types as POLICY_MIX says (default 518; every tenant also has its five enrollment defaults). */
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

/** The default tenant's objects per collection: 518 in all (besides the enrollment defaults), the share of each in any other total. */
const POLICY_MIX: Record<PolicyFamily, number> = {
  deviceConfigurations: 120,
  deviceCompliancePolicies: 80,
  configurationPolicies: 120,
  deviceManagementScripts: 30,
  deviceShellScripts: 14,
  deviceHealthScripts: 26,
  windowsFeatureUpdateProfiles: 12,
  windowsQualityUpdateProfiles: 8,
  windowsDriverUpdateProfiles: 6,
  windowsAutopilotDeploymentProfiles: 8,
  iosManagedAppProtections: 12,
  androidManagedAppProtections: 12,
  windowsManagedAppProtections: 4,
  targetedManagedAppConfigurations: 8,
  mobileAppConfigurations: 12,
  deviceEnrollmentConfigurations: 12,
  groupPolicyConfigurations: 14,
  intents: 8,
  notificationMessageTemplates: 12,
};
const MIX_TOTAL = Object.values(POLICY_MIX).reduce((a, b) => a + b, 0);

export function policyMix(total = MIX_TOTAL) {
  const families = Object.keys(POLICY_MIX) as PolicyFamily[];
  const counts = Object.fromEntries(
    families.map((f) => [f, Math.round((total * POLICY_MIX[f]) / MIX_TOTAL)]),
  ) as Record<PolicyFamily, number>;
  // Rounding must not change the total: the largest collection takes the difference (a small last one
  // could go below zero, e.g. 31 objects a tenant).
  const largest = families.reduce((a, b) => (POLICY_MIX[b] > POLICY_MIX[a] ? b : a));
  counts[largest] += total - Object.values(counts).reduce((a, b) => a + b, 0);
  return counts;
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
  const seededPoliciesOf = (t: (typeof tenants)[number]) => {
    const seeded = seedPolicies(seed, t.key, groups.get(t.tenantId)!, policyMix(options.policiesPerTenant));
    return FILTERED_TENANTS.has(t.key) ? withReferences(seeded, references.get(t.tenantId)!) : seeded;
  };
  const references = new Map(tenants.map((t) => [t.tenantId, seedReferences(seed, t)]));
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
    mobileApps: new Map(tenants.map((t) => [t.tenantId, seedMobileApps(seed, t.key)])),
    references,
    rbac: new Map(tenants.map((t) => [t.tenantId, seedRbac(seed, t.key, groups.get(t.tenantId)!)])),
    policies: new Map(tenants.map((t) => [t.tenantId, new Map(seededPoliciesOf(t).map((p) => [p.body.id, p]))])),
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
