import Link from "next/link";
import { GroupPicker } from "@/components/groups/group-picker";
import { DirectoryCacheHelp } from "@/components/restores/directory-cache-help";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db/client";
import type { MembershipRole } from "@/db/schema/enums";
import { paths } from "@/lib/paths";
import { searchCachedGroupsAction } from "@/lib/restores/actions";
import { type WizardState, wizardHref } from "@/lib/restores/wizard";
import { loadMapStep } from "@/lib/restores/wizard-view";
import { roleShortfall } from "@/lib/tenants/roles";
import { ReferenceMappingCard } from "./reference-mapping-card";
import { StateFields } from "./state-fields";

/** Step 3: a target in this tenant's directory cache for every source group, and what to do without one. */
export async function MapGroupsStep({
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
  const { rows, summary, lastSync, references, lastReferenceSync } = await loadMapStep(getDb(), {
    tenantId,
    sourceTenantId,
    state,
  });
  const search = searchCachedGroupsAction.bind(null, tenantId);

  return (
    <div className="space-y-4">
      {/* Outside the mapping form: the Sync groups start is a form of its own. */}
      <DirectoryCacheHelp
        tenantId={tenantId}
        summary={summary}
        lastSync={lastSync}
        disabledReason={roleShortfall(role, "operator")}
        now={new Date()}
      />
      <ReferenceMappingCard
        tenantId={tenantId}
        references={references}
        lastSync={lastReferenceSync}
        disabledReason={roleShortfall(role, "operator")}
      />
      <form method="get" action={paths.newRestore(tenantId)} className="space-y-4">
        <StateFields state={state} except={["map", "unmapped"]} />
        <input type="hidden" name="step" value="preview" />
        <Card>
          <h3 className="mb-1 font-medium">Map source groups to groups of this tenant</h3>
          {rows.length === 0 ? (
            <p className="text-sm text-muted">The chosen policies are not assigned to any group: nothing to map.</p>
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="group-mapping">
              {rows.map(({ source, initial, hint }) => (
                <li key={source.id} className="grid gap-3 py-3 md:grid-cols-2" data-testid="mapping-row">
                  <div className="text-sm">
                    <p className="font-medium">
                      {source.name ?? <span className="font-mono text-xs">{source.id}</span>}
                    </p>
                    {source.name ? null : (
                      <p className="text-xs text-muted">
                        Not in the source tenant&apos;s directory cache: only its id is known.
                      </p>
                    )}
                    <p className="text-xs text-muted">Used by {source.usedBy.join(", ")}</p>
                  </div>
                  <GroupPicker
                    // A suggestion that appears later (the cache filled meanwhile) starts the picker afresh.
                    key={initial?.id ?? "none"}
                    label={`Target for ${source.name ?? source.id}`}
                    name="map"
                    valuePrefix={`${source.id}:`}
                    search={search}
                    initial={initial ? [initial] : []}
                    hint={hint}
                  />
                </li>
              ))}
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
