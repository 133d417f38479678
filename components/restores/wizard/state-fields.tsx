import { type WizardState, wizardFields } from "@/lib/restores/wizard";

/** The wizard's state as hidden fields, so a step's form carries every earlier choice along. */
export function StateFields({
  state,
  except = [],
}: {
  state: WizardState;
  except?: Parameters<typeof wizardFields>[1];
}) {
  return wizardFields(state, except).map(([name, value], i) => (
    <input key={i} type="hidden" name={name} value={value} />
  ));
}
