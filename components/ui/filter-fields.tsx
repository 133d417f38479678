import { cn } from "./cn";

/** A labelled <select> for GET filter forms; the empty option means "no filter". */
export function SelectField({
  name,
  label,
  value,
  options,
  anyLabel = "Any",
}: {
  name: string;
  label: string;
  value?: string;
  options: [string, string][];
  anyLabel?: string;
}) {
  return (
    <label className="space-y-1 text-sm">
      <span className="block font-medium">{label}</span>
      <select
        name={name}
        defaultValue={value ?? ""}
        className="rounded-md border border-zinc-300 bg-white px-2 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-950"
      >
        <option value="">{anyLabel}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A labelled text (or date) input for GET filter forms. */
export function InputFilter({
  label,
  className,
  defaultValue,
  ...input
}: { label: string } & Omit<React.ComponentProps<"input">, "defaultValue"> & { defaultValue?: string }) {
  return (
    <label className="space-y-1 text-sm">
      <span className="block font-medium">{label}</span>
      <input
        defaultValue={defaultValue ?? ""}
        className={cn(
          "rounded-md border border-zinc-300 bg-white text-sm dark:border-zinc-700 dark:bg-zinc-950",
          // Padding and width come from the caller (clsx does not resolve conflicting utilities).
          className ?? "px-3 py-2",
        )}
        {...input}
      />
    </label>
  );
}
