import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { paths } from "@/lib/paths";
import type { WizardState } from "@/lib/restores/wizard";
import { loadItemsStep } from "@/lib/restores/wizard-view";
import { StateFields } from "./state-fields";

/** Step 2: which policies of the backup to restore. */
export async function ChooseItemsStep({
  tenantId,
  state,
  noItems,
}: {
  tenantId: string;
  state: WizardState;
  noItems: boolean;
}) {
  const items = await loadItemsStep(getDb(), state);
  return (
    <form method="get" action={paths.newRestore(tenantId)} className="space-y-4">
      <StateFields state={state} except={["item"]} />
      <input type="hidden" name="step" value="map" />
      <Card>
        <fieldset>
          <legend className="mb-2 font-medium">Policies to restore</legend>
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {items.map((item) => (
              <li key={item.id} className="py-2 text-sm">
                <label className="flex items-center gap-3">
                  <input type="checkbox" name="item" value={item.id} defaultChecked={item.checked} />
                  <span className="font-medium">{item.name}</span>
                  <span className="text-muted">{item.detail}</span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      </Card>
      {noItems ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Choose at least one policy to restore.
        </p>
      ) : null}
      <button type="submit" className={buttonClass("primary")}>
        Next: map groups
      </button>
    </form>
  );
}
