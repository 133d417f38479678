import { cn } from "@/components/ui/cn";
import { DetailHeader } from "@/components/ui/detail-header";
import { TextLink } from "@/components/ui/text-link";
import { Time } from "@/components/ui/time";
import { paths } from "@/lib/paths";
import { type WizardStep, wizardHref } from "@/lib/restores/wizard";
import { WIZARD_STEPS } from "@/lib/restores/wizard-view";

type Source = { name: string; sourceTenantName: string; createdAt: Date };

/** The wizard's title, its steps with the current one marked, and the backup being restored. */
export function WizardHeader({
  tenantId,
  tenantName,
  step,
  source,
}: {
  tenantId: string;
  tenantName: string;
  step: WizardStep;
  source: Source | null;
}) {
  return (
    <DetailHeader
      back={{ href: paths.restores(tenantId), label: "Restores" }}
      title={`Restore policies into ${tenantName}`}
    >
      <ol className="mt-3 flex flex-wrap gap-2 text-sm" aria-label="Steps">
        {WIZARD_STEPS.map((s, i) => (
          <li
            key={s.step}
            aria-current={s.step === step ? "step" : undefined}
            className={cn(
              "rounded-full px-3 py-1",
              s.step === step
                ? "bg-blue-600 text-white"
                : "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
            )}
          >
            {i + 1}. {s.label}
          </li>
        ))}
      </ol>
      {source ? (
        <p className="mt-3 text-sm text-muted" data-testid="restore-source">
          From <strong>{source.name}</strong> of <strong>{source.sourceTenantName}</strong>, taken{" "}
          <Time date={source.createdAt} /> · <TextLink href={wizardHref(tenantId, {})}>choose another backup</TextLink>
        </p>
      ) : null}
    </DetailHeader>
  );
}
