import Link from "next/link";
import { StartRestoreForm } from "@/components/restores/start-restore-form";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { getDb } from "@/db/client";
import { FAMILY_LABELS } from "@/lib/inventory/queries";
import { type WizardState, wizardFields, wizardHref } from "@/lib/restores/wizard";
import { loadPreviewStep } from "@/lib/restores/wizard-view";

/** Step 4: the plan the worker will run (the same `restorePlan`), then the start. */
export async function PreviewStep({
  tenantId,
  sourceTenantId,
  state,
}: {
  tenantId: string;
  sourceTenantId: string;
  state: WizardState;
}) {
  const preview = await loadPreviewStep(getDb(), { tenantId, sourceTenantId, state });
  const back = wizardHref(tenantId, { ...state, step: "map" });
  if ("error" in preview) {
    return (
      <Card>
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {preview.error}
        </p>
        <Link href={back} className={cn(buttonClass("secondary"), "mt-3")}>
          Back to the mapping
        </Link>
      </Card>
    );
  }
  const { plan, summary } = preview;
  return (
    <div className="space-y-4">
      <Card data-testid="restore-preview">
        <p className="mb-3 text-sm" data-testid="restore-preview-summary">
          {summary.text}
        </p>
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {plan.items.map((item) => (
            <li
              key={item.backupItemId}
              className="py-3 text-sm"
              data-testid="preview-item"
              data-refused={item.refusal ? "true" : undefined}
            >
              <p>
                {item.refusal ? "Will not create" : "Create"} <span className="font-medium">{item.name}</span>{" "}
                <span className="text-muted">({FAMILY_LABELS[item.family]})</span>
              </p>
              {item.refusal ? (
                <p className="text-xs text-red-700 dark:text-red-400" data-testid="preview-item-refusal">
                  {item.refusal}
                </p>
              ) : null}
              {item.scopeTagsLeftOut.length ? (
                <p className="text-xs text-amber-800 dark:text-amber-300" data-testid="preview-item-scope-tags">
                  Left out, no namesake in this tenant: {item.scopeTagsLeftOut.join(", ")}
                </p>
              ) : null}
              {item.assignments.length === 0 ? <p className="text-xs text-muted">No assignments.</p> : null}
              <ul className="ml-4 mt-1 list-disc text-xs">
                {item.assignments.map((a, i) => (
                  <li key={i} className={a.action === "skip" ? "text-amber-800 dark:text-amber-300" : undefined}>
                    {a.kind}
                    {a.sourceGroup ? `: ${a.sourceGroup.name ?? a.sourceGroup.id}` : ""}
                    {a.targetGroup ? ` → ${a.targetGroup.name}` : ""}
                    {a.filter ? ` · filter (${a.filter.type}): ${a.filter.name ?? a.filter.id}` : ""}
                    {a.skipReason === "filter"
                      ? " — its filter has no namesake here: skipped"
                      : a.action === "skip"
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
        <Link href={back} className={buttonClass("secondary")}>
          Back
        </Link>
        <StartRestoreForm tenantId={tenantId} fields={wizardFields(state)} blockedReason={summary.blockedReason} />
      </div>
    </div>
  );
}
