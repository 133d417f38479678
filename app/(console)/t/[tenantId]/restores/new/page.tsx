import type { Metadata } from "next";
import Link from "next/link";
import { GroupPicker } from "@/components/groups/group-picker";
import { DirectoryCacheHelp } from "@/components/restores/directory-cache-help";
import { StartRestoreForm } from "@/components/restores/start-restore-form";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { TableShell } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import type { MembershipRole } from "@/db/schema/enums";
import { orNotFound, tenantPageAccess } from "@/lib/auth/guards";
import { directorySummary } from "@/lib/directory/groups";
import { InputError } from "@/lib/errors";
import { FAMILY_LABELS } from "@/lib/inventory/queries";
import { latestRunOfType } from "@/lib/operations/queries";
import { searchCachedGroupsAction } from "@/lib/restores/actions";
import {
  assignmentsOf,
  backupSetItems,
  cachedGroupsById,
  type RestorePlan,
  referencedGroups,
  requireRestoreSource,
  restorableBackupSets,
  restoreInputSchema,
  restorePlan,
  suggestTargets,
} from "@/lib/restores/plan";
import { type WizardState, type WizardStep, wizardFields, wizardHref, wizardState } from "@/lib/restores/wizard";
import { roleAtLeast } from "@/lib/tenants/roles";

export const metadata: Metadata = { title: "Restore policies" };

const STEPS: { step: WizardStep; label: string }[] = [
  { step: "backup", label: "Backup" },
  { step: "items", label: "Items" },
  { step: "map", label: "Map groups" },
  { step: "preview", label: "Preview" },
];

/**
 * The restore wizard. Every step renders from the database: backups, their items, the target
 * tenant's directory cache. Nothing here calls Microsoft Graph; the run does that after the start.
 */
export default async function NewRestorePage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenantId } = await params;
  const { tenant, user, role } = await tenantPageAccess(tenantId);
  if (!roleAtLeast(role, "operator")) {
    return (
      <p
        role="alert"
        className="rounded-lg border border-dashed border-zinc-300 p-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400"
      >
        Restoring needs the operator role on {tenant.displayName}; you are a {role}.
      </p>
    );
  }
  const query = await searchParams;
  const state = wizardState(query);
  const db = getDb();
  const source = state.backupSetId
    ? await orNotFound(() => requireRestoreSource(db, user.id, tenant.id, state.backupSetId!))
    : null;

  return (
    <div className="space-y-6" data-testid="restore-wizard">
      <div>
        <Link href={`/t/${tenant.id}/restores`} className="text-sm text-blue-700 hover:underline dark:text-blue-400">
          ← Restores
        </Link>
        <h2 className="mt-1 text-xl font-semibold">Restore policies into {tenant.displayName}</h2>
        <ol className="mt-3 flex flex-wrap gap-2 text-sm" aria-label="Steps">
          {STEPS.map((s, i) => (
            <li
              key={s.step}
              aria-current={s.step === state.step ? "step" : undefined}
              className={cn(
                "rounded-full px-3 py-1",
                s.step === state.step
                  ? "bg-blue-600 text-white"
                  : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
              )}
            >
              {i + 1}. {s.label}
            </li>
          ))}
        </ol>
        {source ? (
          <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400" data-testid="restore-source">
            From <strong>{source.name}</strong> of <strong>{source.sourceTenantName}</strong>, taken{" "}
            <Time date={source.createdAt} /> ·{" "}
            <Link
              href={wizardHref(tenant.id, {})}
              className="text-blue-700 underline underline-offset-2 dark:text-blue-400"
            >
              choose another backup
            </Link>
          </p>
        ) : null}
      </div>
      {state.step === "backup" ? <ChooseBackup tenantId={tenant.id} userId={user.id} /> : null}
      {state.step === "items" && source ? (
        <ChooseItems tenantId={tenant.id} state={state} noItems={query.step === "map" && !state.itemIds.length} />
      ) : null}
      {state.step === "map" && source ? (
        <MapGroups tenantId={tenant.id} sourceTenantId={source.tenantId} state={state} role={role} />
      ) : null}
      {state.step === "preview" && source ? (
        <Preview tenantId={tenant.id} sourceTenantId={source.tenantId} state={state} />
      ) : null}
    </div>
  );
}

async function ChooseBackup({ tenantId, userId }: { tenantId: string; userId: string }) {
  const sets = await restorableBackupSets(getDb(), userId, tenantId);
  if (!sets.length) {
    return (
      <p className="rounded-lg border border-dashed border-zinc-300 p-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        No backups to restore from. Take one from{" "}
        <Link
          href={`/t/${tenantId}/policies`}
          className="text-blue-700 underline underline-offset-2 dark:text-blue-400"
        >
          Policies
        </Link>
        . Backups of other tenants are offered when you own both tenants.
      </p>
    );
  }
  return (
    <TableShell testId="restore-backups" headers={["Backup", "Tenant", "Policies", "Taken", ""]}>
      {sets.map((s) => (
        <tr key={s.id}>
          <td className="px-4 py-2 font-medium">{s.name}</td>
          <td className="px-4 py-2">{s.tenantId === tenantId ? `${s.tenantName} (this tenant)` : s.tenantName}</td>
          <td className="px-4 py-2 tabular-nums">{s.itemCount}</td>
          <td className="px-4 py-2">
            <Time date={s.createdAt} />
          </td>
          <td className="px-4 py-2 text-right">
            <Link
              href={wizardHref(tenantId, { backupSetId: s.id, step: "items" })}
              className={buttonClass("secondary")}
              aria-label={`Choose ${s.name} of ${s.tenantName}`}
            >
              Choose
            </Link>
          </td>
        </tr>
      ))}
    </TableShell>
  );
}

function StateFields({ state, except = [] }: { state: WizardState; except?: Parameters<typeof wizardFields>[1] }) {
  return wizardFields(state, except).map(([name, value], i) => (
    <input key={i} type="hidden" name={name} value={value} />
  ));
}

async function ChooseItems({ tenantId, state, noItems }: { tenantId: string; state: WizardState; noItems: boolean }) {
  const items = await backupSetItems(getDb(), state.backupSetId!);
  const checked = new Set(state.itemIds);
  return (
    <form method="get" action={`/t/${tenantId}/restores/new`} className="space-y-4">
      <StateFields state={state} except={["item"]} />
      <input type="hidden" name="step" value="map" />
      <Card>
        <fieldset>
          <legend className="mb-2 font-medium">Policies to restore</legend>
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {items.map((item) => {
              const assignments = assignmentsOf(item.content).length;
              return (
                <li key={item.id} className="py-2 text-sm">
                  <label className="flex items-center gap-3">
                    <input type="checkbox" name="item" value={item.id} defaultChecked={checked.has(item.id)} />
                    <span className="font-medium">{item.name}</span>
                    <span className="text-zinc-600 dark:text-zinc-400">
                      {FAMILY_LABELS[item.family]} · {assignments} assignment{assignments === 1 ? "" : "s"}
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
        </fieldset>
      </Card>
      {noItems ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          Choose at least one policy to restore.
        </p>
      ) : null}
      <button type="submit" className={buttonClass("primary")}>
        Next: map groups
      </button>
    </form>
  );
}

async function MapGroups({
  tenantId,
  sourceTenantId,
  state,
  role,
}: {
  tenantId: string;
  sourceTenantId: string;
  state: WizardState;
  role: MembershipRole;
}) {
  const db = getDb();
  const chosen = (await backupSetItems(db, state.backupSetId!)).filter((i) => state.itemIds.includes(i.id));
  const [groups, summary, lastSync] = await Promise.all([
    referencedGroups(db, sourceTenantId, chosen),
    directorySummary(db, tenantId),
    latestRunOfType(db, tenantId, "directory_groups.sync"),
  ]);
  const suggestions = await suggestTargets(db, tenantId, groups);
  // What the URL already maps (coming back from the preview) wins over suggestions; only cached groups are shown.
  const mappedIds = Object.values(state.mapping);
  const mappedNames = await cachedGroupsById(db, tenantId, mappedIds);
  const search = searchCachedGroupsAction.bind(null, tenantId);

  return (
    <div className="space-y-4">
      {/* Outside the mapping form: the Sync groups start is a form of its own. */}
      <DirectoryCacheHelp
        tenantId={tenantId}
        summary={summary}
        lastSync={lastSync}
        canSync={roleAtLeast(role, "operator")}
        now={new Date()}
      />
      <form method="get" action={`/t/${tenantId}/restores/new`} className="space-y-4">
        <StateFields state={state} except={["map", "unmapped"]} />
        <input type="hidden" name="step" value="preview" />
        <Card>
          <h3 className="mb-1 font-medium">Map source groups to groups of this tenant</h3>
          {groups.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              The chosen policies are not assigned to any group: nothing to map.
            </p>
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="group-mapping">
              {groups.map((g) => {
                const mapped = state.mapping[g.id];
                const initial =
                  mapped && mappedNames.has(mapped)
                    ? { id: mapped, displayName: mappedNames.get(mapped)! }
                    : suggestions[g.id]
                      ? { id: suggestions[g.id]!.id, displayName: suggestions[g.id]!.name }
                      : undefined;
                const label = g.name ?? g.id;
                return (
                  <li key={g.id} className="grid gap-3 py-3 md:grid-cols-2" data-testid="mapping-row">
                    <div className="text-sm">
                      <p className="font-medium">{g.name ?? <span className="font-mono text-xs">{g.id}</span>}</p>
                      {g.name ? null : (
                        <p className="text-xs text-zinc-600 dark:text-zinc-400">
                          Not in the source tenant&apos;s directory cache: only its id is known.
                        </p>
                      )}
                      <p className="text-xs text-zinc-600 dark:text-zinc-400">Used by {g.usedBy.join(", ")}</p>
                    </div>
                    <GroupPicker
                      // A suggestion that appears later (the cache filled meanwhile) starts the picker afresh.
                      key={initial?.id ?? "none"}
                      label={`Target for ${label}`}
                      name="map"
                      valuePrefix={`${g.id}:`}
                      search={search}
                      initial={initial ? [initial] : []}
                      hint={
                        !mapped && suggestions[g.id] ? "Suggested: the cached group with the same name." : undefined
                      }
                    />
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        <Card>
          <fieldset className="space-y-2 text-sm">
            <legend className="mb-1 font-medium">Groups left without a target</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="unmapped" value="skip" defaultChecked={state.unmapped === "skip"} /> Skip their
              assignments (the policy is restored without them)
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="unmapped" value="block" defaultChecked={state.unmapped === "block"} /> Block the
              start until every group is mapped
            </label>
          </fieldset>
        </Card>
        <div className="flex gap-3">
          <Link href={wizardHref(tenantId, { ...state, step: "items" })} className={buttonClass("secondary")}>
            Back
          </Link>
          <button type="submit" className={buttonClass("primary")}>
            Next: preview
          </button>
        </div>
      </form>
    </div>
  );
}

async function Preview({
  tenantId,
  sourceTenantId,
  state,
}: {
  tenantId: string;
  sourceTenantId: string;
  state: WizardState;
}) {
  let plan: RestorePlan;
  try {
    const inputs = restoreInputSchema.safeParse({
      backupSetId: state.backupSetId,
      itemIds: state.itemIds,
      mapping: state.mapping,
      unmapped: state.unmapped,
    });
    if (!inputs.success)
      throw new InputError("The wizard's choices in this address are not valid. Go back and choose again.");
    plan = await restorePlan(getDb(), tenantId, sourceTenantId, inputs.data);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return (
      <Card>
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {err.message}
        </p>
        <Link href={wizardHref(tenantId, { ...state, step: "map" })} className={cn(buttonClass("secondary"), "mt-3")}>
          Back to the mapping
        </Link>
      </Card>
    );
  }
  const skipped = plan.items.reduce((n, i) => n + i.assignments.filter((a) => a.action === "skip").length, 0);
  return (
    <div className="space-y-4">
      <Card data-testid="restore-preview">
        <p className="mb-3 text-sm" data-testid="restore-preview-summary">
          {plan.items.length} polic{plan.items.length === 1 ? "y" : "ies"} will be created in this tenant ·{" "}
          {plan.items.reduce((n, i) => n + i.assignments.filter((a) => a.action === "assign").length, 0)} assignment(s)
          · {skipped} skipped
          {plan.unmapped.length ? ` · ${plan.unmapped.length} group(s) without a target` : ""}
        </p>
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {plan.items.map((item) => (
            <li key={item.backupItemId} className="py-3 text-sm" data-testid="preview-item">
              <p>
                Create <span className="font-medium">{item.name}</span>{" "}
                <span className="text-zinc-600 dark:text-zinc-400">({FAMILY_LABELS[item.family]})</span>
              </p>
              {item.assignments.length === 0 ? (
                <p className="text-xs text-zinc-600 dark:text-zinc-400">No assignments.</p>
              ) : null}
              <ul className="ml-4 mt-1 list-disc text-xs">
                {item.assignments.map((a, i) => (
                  <li key={i} className={a.action === "skip" ? "text-amber-700 dark:text-amber-400" : undefined}>
                    {a.kind}
                    {a.sourceGroup ? `: ${a.sourceGroup.name ?? a.sourceGroup.id}` : ""}
                    {a.targetGroup ? ` → ${a.targetGroup.name}` : ""}
                    {a.action === "skip"
                      ? plan.blocked
                        ? " — no target: blocks the start"
                        : " — no target: skipped"
                      : ""}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </Card>
      <div className="flex items-start gap-3">
        <Link href={wizardHref(tenantId, { ...state, step: "map" })} className={buttonClass("secondary")}>
          Back
        </Link>
        <StartRestoreForm
          tenantId={tenantId}
          fields={wizardFields(state)}
          blockedReason={
            plan.blocked
              ? `${plan.unmapped.length} group(s) have no target and you chose to block: map them or choose to skip.`
              : undefined
          }
        />
      </div>
    </div>
  );
}
