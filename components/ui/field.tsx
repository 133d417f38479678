import { cn } from "./cn";

export function Field({
  label,
  name,
  errors,
  hint,
  className,
  id: givenId,
  ...input
}: React.ComponentProps<"input"> & { label: string; name: string; errors?: string[]; hint?: string }) {
  // A page with several forms gives each field an id of its own.
  const id = givenId ?? `field-${name}`;
  const describedBy = errors?.length ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className={cn("space-y-1", className)}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy}
        className={cn(
          "block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm dark:bg-zinc-950",
          errors?.length ? "border-red-500" : "border-zinc-300 dark:border-zinc-700",
        )}
        {...input}
      />
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-600 dark:text-red-400">
          {errors.join(" ")}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
