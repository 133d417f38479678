"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { Recurrence } from "@/db/schema/schedules";
import type { ScheduleFormState } from "@/lib/schedules/actions";
import { WEEKDAYS } from "@/lib/schedules/weekdays";

const selectClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm dark:border-zinc-700 dark:bg-zinc-950";

type Values = {
  name: string;
  operationType: string;
  recurrence: Recurrence;
  timezone: string;
  notify: "always" | "problems" | "never";
};
const NEW: Values = {
  name: "",
  operationType: "",
  recurrence: { kind: "daily", time: "06:00" },
  timezone: "UTC",
  notify: "problems",
};

function Select(props: {
  id: string;
  name: string;
  label: string;
  defaultValue?: string;
  options: [string, string][];
  errors?: string[];
  onChange?: (value: string) => void;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={props.id} className="block text-sm font-medium">
        {props.label}
      </label>
      <select
        id={props.id}
        name={props.name}
        defaultValue={props.defaultValue}
        className={selectClass}
        aria-invalid={props.errors?.length ? true : undefined}
        onChange={(e) => props.onChange?.(e.currentTarget.value)}
      >
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      {props.errors?.length ? <p className="text-sm text-red-600 dark:text-red-400">{props.errors.join(" ")}</p> : null}
    </div>
  );
}

/**
 * Makes or edits a schedule: an operation, a preset or cron expression, a time zone and whom its
 * runs notify. The server judges every field; its messages show beside them.
 */
export function ScheduleForm({
  action,
  types,
  values = NEW,
  idPrefix,
  submitLabel,
  resetOnSuccess = false,
}: {
  action: (form: FormData) => Promise<ScheduleFormState>;
  types: { type: string; label: string }[];
  values?: Values;
  idPrefix: string;
  submitLabel: string;
  /** A new schedule's form empties once it is made; an edit keeps what was saved. */
  resetOnSuccess?: boolean;
}) {
  const router = useRouter();
  const [state, setState] = useState<ScheduleFormState>();
  const [pending, setPending] = useState(false);
  const [frequency, setFrequency] = useState<Recurrence["kind"]>(values.recurrence.kind);
  const errors = state?.fieldErrors ?? {};
  const ok = state && "ok" in state && state.ok;
  // Submitted by hand, not as a form action: React resets a form after its action, which would
  // wipe what the person typed when the server refuses it.
  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    setPending(true);
    const answer = await action(new FormData(element));
    setPending(false);
    setState(answer);
    if (answer && "ok" in answer && answer.ok) {
      if (resetOnSuccess) {
        element.reset();
        setFrequency(values.recurrence.kind);
      }
      router.refresh();
    }
  }
  const time = "time" in values.recurrence ? values.recurrence.time : "06:00";
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <form onSubmit={onSubmit} className="grid grid-cols-1 gap-3 sm:grid-cols-2" noValidate aria-label={submitLabel}>
      <Field id={id("name")} label="Name" name="name" defaultValue={values.name} required errors={errors.name} />
      <Select
        id={id("type")}
        name="operationType"
        label="Operation"
        defaultValue={values.operationType || types[0]?.type}
        options={types.map((t) => [t.type, t.label])}
        errors={errors.operationType}
      />
      <Select
        id={id("frequency")}
        name="frequency"
        label="Repeats"
        defaultValue={frequency}
        options={[
          ["hourly", "Hourly"],
          ["daily", "Daily"],
          ["weekly", "Weekly"],
          ["cron", "Cron expression"],
        ]}
        onChange={(v) => setFrequency(v as Recurrence["kind"])}
      />
      {frequency === "weekly" ? (
        <Select
          id={id("weekday")}
          name="weekday"
          label="On"
          defaultValue={String(values.recurrence.kind === "weekly" ? values.recurrence.weekday : 1)}
          options={WEEKDAYS.map((day, i) => [String(i), day])}
          errors={errors.weekday}
        />
      ) : null}
      {frequency === "daily" || frequency === "weekly" ? (
        <Field id={id("time")} label="At (HH:MM, 24-hour)" name="time" defaultValue={time} errors={errors.time} />
      ) : null}
      {frequency === "cron" ? (
        <Field
          id={id("cron")}
          label="Cron expression"
          name="cron"
          defaultValue={values.recurrence.kind === "cron" ? values.recurrence.expression : ""}
          placeholder="30 6 * * 1-5"
          hint="Five fields: minute hour day month weekday."
          errors={errors.expression}
          className="font-mono"
        />
      ) : null}
      <Field
        id={id("timezone")}
        label="Time zone"
        name="timezone"
        defaultValue={values.timezone}
        hint="An IANA name, such as Europe/Berlin."
        errors={errors.timezone}
      />
      <Select
        id={id("notify")}
        name="notify"
        label="Notify me"
        defaultValue={values.notify}
        options={[
          ["problems", "When a run fails or partly succeeds"],
          ["always", "About every run"],
          ["never", "Never"],
        ]}
        errors={errors.notify}
      />
      <div className="flex items-center gap-3 sm:col-span-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
        {state?.error ? (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {state.error}
          </p>
        ) : ok ? (
          <p role="status" className="text-sm text-green-700 dark:text-green-400">
            Saved.
          </p>
        ) : null}
      </div>
    </form>
  );
}
