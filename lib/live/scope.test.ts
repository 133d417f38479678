import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { operations } from "@/lib/operations/registry";
import {
  CONSOLE_PAGES,
  type LiveScope,
  liveScopeFor,
  matchesScope,
  parseScopeQuery,
  type RunChange,
  scopeQuery,
  TENANT_PAGES,
} from "./scope";

const TENANT = "11111111-1111-4111-8111-111111111111";
const OTHER_TENANT = "22222222-2222-4222-8222-222222222222";
const RUN = "33333333-3333-4333-8333-333333333333";
const USER = "44444444-4444-4444-8444-444444444444";

const change = (over: Partial<RunChange> = {}): RunChange => ({
  op: "update",
  id: RUN,
  tenantId: TENANT,
  status: "running",
  outcome: null,
  type: "inventory.sync",
  initiatorKind: "user",
  initiatorUserId: USER,
  progress: false,
  ...over,
});
const scopeOf = (url: string) => {
  const u = new URL(url, "http://console");
  return liveScopeFor(u.pathname, u.searchParams);
};

function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return pages(full);
    return name === "page.tsx" ? [full] : [];
  });
}

describe("live scopes", () => {
  it("classifies every console page, and names only operations that exist", () => {
    const root = path.resolve(import.meta.dirname, "../../app/(console)");
    const routes = pages(root).map((file) => `/${path.relative(root, path.dirname(file))}`.replace(/\/$/, ""));
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      const [first = "", tenant, section = ""] = route.split("/").filter(Boolean);
      if (first === "t") {
        expect(tenant).toBe("[tenantId]");
        expect(Object.hasOwn(TENANT_PAGES, section), `tenant page "${section}" has a live scope`).toBe(true);
      } else if (route.split("/").length === 2 || route === "") {
        expect(Object.hasOwn(CONSOLE_PAGES, first), `page "/${first}" has a live scope`).toBe(true);
      }
    }
    for (const types of Object.values(TENANT_PAGES))
      if (Array.isArray(types)) for (const type of types) expect(operations).toHaveProperty([type]);
  });

  it("gives a run's page every change of its run, progress included, and nothing of another", () => {
    const scope = scopeOf(`/t/${TENANT}/operations/${RUN}`);
    expect(scope).toEqual({ kind: "run", runId: RUN });
    expect(matchesScope(scope, change({ progress: true }))).toBe(true);
    expect(matchesScope(scope, change({ id: "55555555-5555-4555-8555-555555555555" }))).toBe(false);
    expect(scopeOf(`/t/${TENANT}/restores/${RUN}`)).toEqual({ kind: "run", runId: RUN });
    const wizard = scopeOf(`/t/${TENANT}/restores/new`);
    expect(wizard).toMatchObject({ kind: "runs", tenantId: TENANT });
    // The wizard shows the directory caches it maps with, and syncs them in place.
    expect(matchesScope(wizard, change({ type: "directory_references.sync", status: "completed" }))).toBe(true);
    expect(matchesScope(wizard, change({ type: "tenant.verify" }))).toBe(false);
  });

  it("gives a list its runs' status changes within its filters, never progress", () => {
    const list = scopeOf(`/t/${TENANT}/operations?status=running&type=backup_set.create&kind=schedule`);
    expect(list).toEqual({ kind: "runs", tenantId: TENANT, types: ["backup_set.create"], initiatorKind: "schedule" });
    const backup = change({ type: "backup_set.create", initiatorKind: "schedule" });
    expect(matchesScope(list, backup)).toBe(true);
    expect(matchesScope(list, { ...backup, progress: true })).toBe(false);
    expect(matchesScope(list, { ...backup, tenantId: OTHER_TENANT })).toBe(false);
    expect(matchesScope(list, { ...backup, initiatorKind: "user" })).toBe(false);
    expect(matchesScope(list, change())).toBe(false);
    // Every tenant's, filtered by who started them.
    const all = scopeOf(`/operations?initiator=${USER}`);
    expect(matchesScope(all, change({ tenantId: OTHER_TENANT }))).toBe(true);
    expect(matchesScope(all, change({ initiatorUserId: null, initiatorKind: "schedule" }))).toBe(false);
  });

  it("lets a policy page hear inventory syncs of its tenant only, and a members page nothing", () => {
    const policy = scopeOf(`/t/${TENANT}/policies/T_0f6d0b1c-1111-4111-8111-111111111111`);
    expect(matchesScope(policy, change())).toBe(true);
    expect(matchesScope(policy, change({ type: "tenant.verify" }))).toBe(false);
    expect(matchesScope(policy, change({ tenantId: OTHER_TENANT }))).toBe(false);
    const members = scopeOf(`/t/${TENANT}/members`);
    expect(members).toEqual({ kind: "none" });
    expect(matchesScope(members, change())).toBe(false);
    expect(scopeOf("/notifications")).toEqual({ kind: "none" });
    expect(scopeOf("/tenants/new")).toEqual({ kind: "none" });
  });

  it("carries a scope through the stream's query unchanged, and reads hostile queries as the widest scope", () => {
    const scopes: LiveScope[] = [
      { kind: "none" },
      { kind: "run", runId: RUN },
      { kind: "runs" },
      { kind: "runs", tenantId: TENANT, types: ["drift.detect", "drift.revert"], initiatorKind: "system" },
      { kind: "runs", initiatorUserId: USER },
    ];
    for (const scope of scopes) expect(parseScopeQuery(new URLSearchParams(scopeQuery(scope)))).toEqual(scope);
    const hostile = new URLSearchParams({
      scope: "run",
      run: "../../etc",
      tenant: "'; drop table runs",
      types: "x,<script>",
      initiatorKind: "admin",
    });
    expect(parseScopeQuery(hostile)).toEqual({ kind: "runs" });
  });
});
