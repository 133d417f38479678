import { z } from "zod";

/**
 * What a console page shows of runs, so that its live stream carries only the changes it would
 * show: a page refreshes (a whole server render) for nothing else. Derived from the page's URL
 * alone (`liveScopeFor`), in the browser that opens the stream and again, from the stream's query,
 * in /api/live that filters it (`matchesScope`); notifications (the bell, on every page) always pass.
 *
 * - `run`: one run's page — every change of it, progress included (with the new counts, shown in place).
 * - `runs`: pages that list runs or show what runs produce — status changes (queued, running,
 *   completed) of the runs in scope, never progress; `types` narrows to the operations whose
 *   results the page shows.
 * - `none`: pages that show nothing runs change.
 */
export type LiveScope =
  | { kind: "run"; runId: string }
  | {
      kind: "runs";
      tenantId?: string;
      types?: string[];
      initiatorKind?: "user" | "schedule" | "system";
      initiatorUserId?: string;
    }
  | { kind: "none" };

/** A run change as PostgreSQL announces it (db/migrations/0037_live_scopes.sql, 0049_live_run_progress.sql, 0050). */
export type RunChange = {
  op: "insert" | "update";
  id: string;
  tenantId: string;
  status: string;
  outcome: string | null;
  type: string;
  initiatorKind: string;
  initiatorUserId: string | null;
  /** Status and outcome unchanged: counts, failures or a cancel request. */
  progress: boolean;
  /** On progress only, for the run's own page (lib/live/run-progress.ts); left out when too long. */
  counts?: Record<string, number>;
  failureCount?: number | null;
  cancelRequested?: boolean;
  /** When the progress was announced: the database's clock in ms (0050_live_progress_time.sql). */
  at?: number;
};

const EVERY_TYPE = undefined;
const NOTHING = "none" as const;

/**
 * Each tenant page (the segment after /t/<tenant>/) and the operations whose results it shows.
 * A page that is missing here follows every run of its tenant; tests/live-scope.test.ts checks that
 * every page of app/ is classified and every type named here exists.
 */
export const TENANT_PAGES: Record<string, string[] | typeof EVERY_TYPE | typeof NOTHING> = {
  "": EVERY_TYPE, // the overview: last runs, drift counts, roles, connection
  operations: EVERY_TYPE,
  schedules: EVERY_TYPE, // each schedule's last run
  // A policy's page names its groups, filters and scope tags from the directory caches.
  policies: ["inventory.sync", "directory_groups.sync", "directory_references.sync"],
  explorer: ["inventory.sync", "directory_groups.sync", "directory_references.sync"],
  groups: ["directory_groups.sync", "directory_references.sync"],
  backups: ["backup_set.create", "backup_set.delete", "retention.apply"],
  // The list and the wizard (which picks a backup, and syncs and shows the directory caches it maps with).
  restores: [
    "restore.execute",
    "backup_set.create",
    "backup_set.delete",
    "retention.apply",
    "directory_groups.sync",
    "directory_references.sync",
  ],
  drift: ["drift.detect", "drift.accept", "drift.revert", "backup_set.create", "backup_set.delete"],
  settings: ["tenant.verify", "directory_references.sync"],
  members: NOTHING,
  alerts: EVERY_TYPE, // deliveries are raised in the transaction that completes a run
  audit: EVERY_TYPE, // a run's start and cancel are audited
};

/** Console pages outside a tenant. */
export const CONSOLE_PAGES: Record<string, LiveScope> = {
  "": { kind: "runs" }, // the fleet: every tenant's active and failed runs
  operations: { kind: "runs" },
  tenants: { kind: "runs", types: ["tenant.verify"] },
  notifications: { kind: "none" },
  audit: { kind: "runs" },
  account: { kind: "none" },
};

const id = z.string().regex(/^[0-9a-f-]{36}$/i);
const INITIATOR_KINDS = ["user", "schedule", "system"] as const;

/** The runs list's own filters that narrow which runs it shows (status and outcome do not: its chips count every status). */
function listFilters(search: URLSearchParams): Omit<Extract<LiveScope, { kind: "runs" }>, "kind"> {
  const type = search.get("type");
  const initiatorKind = z.enum(INITIATOR_KINDS).safeParse(search.get("kind"));
  const initiator = id.safeParse(search.get("initiator"));
  return {
    ...(type && { types: [type] }),
    ...(initiatorKind.success && { initiatorKind: initiatorKind.data }),
    ...(initiator.success && { initiatorUserId: initiator.data }),
  };
}

/** The scope of the page at `pathname` (with its query). Unknown pages get every run's status: never less than they show. */
export function liveScopeFor(pathname: string, search: URLSearchParams): LiveScope {
  const [first = "", ...rest] = pathname.split("/").filter(Boolean);
  if (first !== "t") {
    if (first === "operations") return { kind: "runs", ...listFilters(search) };
    if (rest.length > 0) return { kind: "none" }; // a form (/tenants/new)
    return CONSOLE_PAGES[first] ?? { kind: "runs" };
  }
  const [tenantId = "", section = "", item] = rest;
  if (!id.safeParse(tenantId).success) return { kind: "runs" };
  // A run's own page (a restore's page is its run's).
  if ((section === "operations" || section === "restores") && item && id.safeParse(item).success)
    return { kind: "run", runId: item.toLowerCase() };
  const types = Object.hasOwn(TENANT_PAGES, section) ? TENANT_PAGES[section] : EVERY_TYPE;
  if (types === NOTHING) return { kind: "none" };
  if (section === "operations") return { kind: "runs", tenantId, ...listFilters(search) };
  return { kind: "runs", tenantId, ...(types && { types }) };
}

/** The scope as the stream's query string, and back (hostile input gives the widest scope the user may have, never an error). */
export function scopeQuery(scope: LiveScope): string {
  const params = new URLSearchParams({ scope: scope.kind });
  if (scope.kind === "run") params.set("run", scope.runId);
  if (scope.kind === "runs") {
    if (scope.tenantId) params.set("tenant", scope.tenantId);
    if (scope.types) params.set("types", scope.types.join(","));
    if (scope.initiatorKind) params.set("initiatorKind", scope.initiatorKind);
    if (scope.initiatorUserId) params.set("initiator", scope.initiatorUserId);
  }
  return params.toString();
}

const typeName = z.string().regex(/^[a-z_]+\.[a-z_]+$/);

export function parseScopeQuery(search: URLSearchParams): LiveScope {
  const kind = search.get("scope");
  if (kind === "none") return { kind: "none" };
  const run = id.safeParse(search.get("run"));
  if (kind === "run" && run.success) return { kind: "run", runId: run.data.toLowerCase() };
  const tenant = id.safeParse(search.get("tenant"));
  const types = (search.get("types") ?? "").split(",").filter((t) => typeName.safeParse(t).success);
  const initiatorKind = z.enum(INITIATOR_KINDS).safeParse(search.get("initiatorKind"));
  const initiator = id.safeParse(search.get("initiator"));
  return {
    kind: "runs",
    ...(tenant.success && { tenantId: tenant.data.toLowerCase() }),
    ...(types.length > 0 && { types: types.slice(0, 20) }),
    ...(initiatorKind.success && { initiatorKind: initiatorKind.data }),
    ...(initiator.success && { initiatorUserId: initiator.data.toLowerCase() }),
  };
}

/** Whether a page of this scope shows this change. (The stream has already limited changes to the user's tenants.) */
export function matchesScope(scope: LiveScope, change: RunChange): boolean {
  switch (scope.kind) {
    case "none":
      return false;
    case "run":
      return change.id === scope.runId;
    case "runs":
      return (
        !change.progress &&
        (scope.tenantId === undefined || change.tenantId === scope.tenantId) &&
        (scope.types === undefined || scope.types.includes(change.type)) &&
        (scope.initiatorKind === undefined || change.initiatorKind === scope.initiatorKind) &&
        (scope.initiatorUserId === undefined || change.initiatorUserId === scope.initiatorUserId)
      );
  }
}
