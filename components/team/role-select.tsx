export const ROLE_CHOICES = ["owner", "operator", "viewer"] as const;

const cls =
  "block rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm dark:border-zinc-700 dark:bg-zinc-950";

export function RoleSelect({ label, ...select }: React.ComponentProps<"select"> & { label: string; name: string }) {
  const id = `role-${select.name}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} className={cls} {...select}>
        {ROLE_CHOICES.map((role) => (
          <option key={role} value={role}>
            {role[0]!.toUpperCase() + role.slice(1)}
          </option>
        ))}
      </select>
    </div>
  );
}
