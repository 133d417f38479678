import Link from "next/link";
import { cn } from "./cn";

export type Pill = { label: string; href: string; active: boolean; count?: string };

/** A row of rounded links where one is the current view (status chips, notification filters). */
export function PillNav({ label, pills, ...props }: { label: string; pills: Pill[] } & React.ComponentProps<"nav">) {
  return (
    <nav className="flex flex-wrap gap-2 text-sm" aria-label={label} {...props}>
      {pills.map((pill) => (
        <Link
          key={pill.label}
          href={pill.href}
          aria-current={pill.active ? "page" : undefined}
          className={cn(
            "rounded-full px-3 py-1",
            pill.active
              ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
              : "bg-zinc-100 text-zinc-800 hover:bg-zinc-200 dark:bg-zinc-800 dark:text-zinc-200",
          )}
        >
          {pill.label}
          {pill.count ? <span className="ml-1 tabular-nums">{pill.count}</span> : null}
        </Link>
      ))}
    </nav>
  );
}
