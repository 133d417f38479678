import type { AlertRules } from "@/db/schema/alerts";

export type OperationChoice = { type: string; label: string };

const box = "h-4 w-4 rounded border-zinc-300 dark:border-zinc-700";

/** The rule checkboxes of a channel form; `readRules` turns the submitted form back into rules. */
export function RulesFields({ rules, operationChoices }: { rules?: AlertRules; operationChoices: OperationChoice[] }) {
  const checks = [
    ["runFailed", "A run failed"],
    ["runPartiallySucceeded", "A run partly succeeded"],
    ["driftDetected", "Drift detected"],
    ["scheduleOverdue", "A schedule is overdue"],
  ] as const;
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium">Alert when</legend>
      <div className="flex flex-wrap gap-x-6 gap-y-2">
        {checks.map(([name, label]) => (
          <label key={name} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name={name} defaultChecked={rules ? rules[name] : true} className={box} />
            {label}
          </label>
        ))}
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer">Only for these operations (none chosen: all)</summary>
        <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
          {operationChoices.map(({ type, label }) => (
            <label key={type} className="flex items-center gap-2">
              <input
                type="checkbox"
                name="operationType"
                value={type}
                defaultChecked={rules?.operationTypes.includes(type) ?? false}
                className={box}
              />
              {label}
            </label>
          ))}
        </div>
      </details>
    </fieldset>
  );
}

export function readRules(form: FormData): AlertRules {
  return {
    runFailed: form.get("runFailed") === "on",
    runPartiallySucceeded: form.get("runPartiallySucceeded") === "on",
    driftDetected: form.get("driftDetected") === "on",
    scheduleOverdue: form.get("scheduleOverdue") === "on",
    operationTypes: form.getAll("operationType").map(String),
  };
}
