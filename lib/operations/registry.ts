import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import type { MembershipRole } from "@/db/schema/enums";
import { checkAcceptStart, checkRevertStart, findingInputSchema } from "@/lib/drift/findings";
import { intuneObjectId } from "@/lib/intune/object-id";
import { retentionSchema } from "@/lib/maintenance/retention";
import { paths } from "@/lib/paths";
import { nameAssignmentGroups } from "@/lib/rbac/resolve-groups";
import { checkRoleAssignment, roleAssignmentIdentity, roleAssignmentInputSchema } from "@/lib/rbac/roles";
import { checkRestoreStart, restoreIdentity, restoreInputSchema } from "@/lib/restores/plan";
import { backupDeleteInputSchema, checkBackupDelete } from "@/lib/retention/delete-check";

/** How pg-boss treats the jobs of one operation type (applied to its queue). */
export type QueuePolicy = {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds: number;
  heartbeatSeconds?: number;
  /** "singleton": one job of this type active at a time across every worker (set at creation only). */
  policy?: "singleton";
};

export type OperationDefinition<Schema extends z.ZodType = z.ZodType> = {
  /** Shown on buttons, run pages and notifications ("Verify connection"). */
  label: string;
  inputSchema: Schema;
  /** The inputs that make a run unique while it is active (the rest may differ between starts). */
  identity: (inputs: z.infer<Schema>) => unknown;
  queue: QueuePolicy;
  /** Lowest membership role allowed to start it (and to cancel or re-run its runs). */
  minRole: MembershipRole;
  /** A schedule may start it (whole tenant: with inputs `{}`). */
  schedulable?: true;
  /** "system": only the console itself starts it (retention); a person's start is refused. */
  startedBy?: "system";
  /** Where the run's results live (linked from the run page). */
  results?: { label: string; href: (run: { tenantId: string; id: string }) => string };
  /**
   * Checks a start against the database beyond the schema (other records the inputs name, the
   * user's access to them); throws an InputError / NotFoundError to refuse it. Runs before anything
   * is written.
   */
  check?: (db: DbOrTx, start: StartCheck<z.infer<Schema>>) => Promise<unknown>;
  /**
   * After the check: the inputs the run carries, rebuilt from the server's own records (names of
   * what the inputs refer to, never the browser's); throws an InputError for what it cannot find.
   */
  normalize?: (db: DbOrTx, start: StartCheck<z.infer<Schema>>) => Promise<z.infer<Schema>>;
};

/** What a start's database check is given: who starts it, where, with which parsed inputs. */
export type StartCheck<Inputs> = { userId: string; tenantId: string; inputs: Inputs };

export function defineOperation<Schema extends z.ZodType>(definition: OperationDefinition<Schema>) {
  return definition;
}

/**
 * Every operation type, declared once. Handlers live in workers/handlers (registered by type in
 * workers/handlers/index.ts) so that pages importing this registry never pull in Graph code.
 */
export const operations = {
  "tenant.verify": defineOperation({
    label: "Verify connection",
    inputSchema: z.object({}).strict(),
    identity: () => ({}),
    queue: { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
    minRole: "operator",
    results: { label: "Tenant connection", href: (run) => paths.tenant(run.tenantId) },
  }),
  "directory_groups.sync": defineOperation({
    label: "Sync groups",
    inputSchema: z.object({}).strict(),
    identity: () => ({}),
    queue: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 1800 },
    minRole: "operator",
    schedulable: true,
    results: { label: "Cached groups", href: (run) => paths.groups(run.tenantId) },
  }),
  "inventory.sync": defineOperation({
    label: "Sync inventory",
    inputSchema: z.object({}).strict(),
    identity: () => ({}),
    queue: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 3600 },
    minRole: "operator",
    schedulable: true,
    results: { label: "Policies", href: (run) => paths.policies(run.tenantId) },
  }),
  "backup_set.create": defineOperation({
    label: "Create backup",
    inputSchema: z
      .object({ policyIds: z.array(intuneObjectId).min(1, "Choose at least one policy").max(5000).optional() })
      .strict(),
    // A backup is "the same" while it would take the same policies: the tenant plus its selection.
    identity: (inputs) => ({ selection: inputs.policyIds ? [...new Set(inputs.policyIds)].sort() : "all" }),
    queue: { retryLimit: 2, retryDelay: 10, retryBackoff: true, expireInSeconds: 3600 },
    minRole: "operator",
    schedulable: true,
    results: { label: "Backups", href: (run) => paths.backups(run.tenantId) },
  }),
  "restore.execute": defineOperation({
    label: "Restore policies",
    inputSchema: restoreInputSchema,
    identity: restoreIdentity,
    queue: { retryLimit: 2, retryDelay: 10, retryBackoff: true, expireInSeconds: 3600 },
    minRole: "operator",
    results: { label: "Restore results", href: (run) => paths.restore(run.tenantId, run.id) },
    check: checkRestoreStart,
  }),
  "rbac_roles.sync": defineOperation({
    label: "Sync Intune roles",
    inputSchema: z.object({}).strict(),
    identity: () => ({}),
    queue: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 600 },
    minRole: "operator",
    schedulable: true,
    results: { label: "Intune roles", href: (run) => paths.intuneRoles(run.tenantId) },
  }),
  "rbac.assign": defineOperation({
    label: "Assign Intune role",
    inputSchema: roleAssignmentInputSchema,
    identity: roleAssignmentIdentity,
    queue: { retryLimit: 2, retryDelay: 10, retryBackoff: true, expireInSeconds: 300 },
    minRole: "owner",
    results: { label: "Intune roles", href: (run) => paths.intuneRoles(run.tenantId) },
    check: (db, { tenantId, inputs }) => checkRoleAssignment(db, tenantId, inputs),
    normalize: (db, { tenantId, inputs }) => nameAssignmentGroups(db, tenantId, inputs),
  }),
  "drift.detect": defineOperation({
    label: "Detect drift",
    inputSchema: z.object({}).strict(),
    identity: () => ({}),
    queue: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 3600 },
    minRole: "operator",
    schedulable: true,
    results: { label: "Drift", href: (run) => paths.drift(run.tenantId) },
  }),
  // Accepting changes what counts as correct, as choosing the baseline does: owners only.
  "drift.accept": defineOperation({
    label: "Accept drift",
    inputSchema: findingInputSchema,
    identity: (inputs) => ({ findingId: inputs.findingId }),
    queue: { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 },
    minRole: "owner",
    results: { label: "Drift", href: (run) => paths.drift(run.tenantId) },
    check: checkAcceptStart,
  }),
  // Reverting writes the baseline's version back into Intune, as a restore does: operators.
  "drift.revert": defineOperation({
    label: "Revert drift",
    inputSchema: findingInputSchema,
    identity: (inputs) => ({ findingId: inputs.findingId }),
    queue: { retryLimit: 2, retryDelay: 10, retryBackoff: true, expireInSeconds: 900 },
    minRole: "operator",
    results: { label: "Drift", href: (run) => paths.drift(run.tenantId) },
    check: checkRevertStart,
  }),
  "maintenance.prune": defineOperation({
    label: "Prune old records",
    inputSchema: retentionSchema,
    // One prune per tenant at a time, whatever retention it was started with.
    identity: () => ({}),
    // Short statements, so a retry after a lost worker simply carries on where the last one stopped.
    // One tenant at a time across the fleet: a prune shares the database with the monitoring pages.
    queue: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600, policy: "singleton" },
    minRole: "owner",
    startedBy: "system",
  }),
  "retention.apply": defineOperation({
    label: "Apply backup retention",
    inputSchema: z.object({}).strict(),
    // One per tenant at a time: a second firing while one is active joins it.
    identity: () => ({}),
    // Each set is deleted in its own transaction, so a retry carries on with what is left.
    queue: { retryLimit: 2, retryDelay: 10, retryBackoff: true, expireInSeconds: 1800 },
    minRole: "owner",
    startedBy: "system",
    results: { label: "Backups", href: (run) => paths.backups(run.tenantId) },
  }),
  "backup_set.delete": defineOperation({
    label: "Delete backup",
    inputSchema: backupDeleteInputSchema,
    identity: (inputs) => ({ backupSetId: inputs.backupSetId }),
    queue: { retryLimit: 2, retryDelay: 10, retryBackoff: true, expireInSeconds: 600 },
    minRole: "owner",
    results: { label: "Backups", href: (run) => paths.backups(run.tenantId) },
    check: (db, { tenantId, inputs }) => checkBackupDelete(db, { tenantId, inputs }),
  }),
  // Assignment filters and scope tags, cached for cross-tenant mapping and names (issue 14).
  "directory_references.sync": defineOperation({
    label: "Sync filters and scope tags",
    inputSchema: z.object({}).strict(),
    identity: () => ({}),
    queue: { retryLimit: 3, retryDelay: 10, retryBackoff: true, expireInSeconds: 600 },
    minRole: "operator",
    schedulable: true,
    results: { label: "Cached groups", href: (run) => paths.groups(run.tenantId) },
  }),
} satisfies Record<string, OperationDefinition>;

export type OperationType = keyof typeof operations;
export type OperationInputs<T extends OperationType> = z.infer<(typeof operations)[T]["inputSchema"]>;
export type OperationRegistry = Record<string, OperationDefinition>;

/**
 * The definition of `type`, or undefined. Own properties only: a type read from a form or the
 * database must not find `constructor` or `__proto__` on the registry's prototype.
 */
export function operationDefinition(registry: OperationRegistry, type: string): OperationDefinition | undefined {
  return Object.hasOwn(registry, type) ? registry[type] : undefined;
}

/** The types a schedule may start, in registry order. */
export function schedulableTypes(registry: OperationRegistry = operations): string[] {
  return Object.entries(registry)
    .filter(([, definition]) => definition.schedulable)
    .map(([type]) => type);
}

export function operationLabel(type: string, registry: OperationRegistry = operations): string {
  return operationDefinition(registry, type)?.label ?? type;
}
