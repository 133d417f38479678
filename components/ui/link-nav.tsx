import Link from "next/link";
import { cn } from "./cn";

export type NavItem = { label: string; href: string; active: boolean; count?: string };

/** The two looks of a row of links where one is the current view. */
const LOOKS = {
  /** Status chips, notification filters. */
  pills: {
    nav: "flex flex-wrap gap-2 text-sm",
    link: "rounded-full px-3 py-1",
    active: "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900",
    idle: "bg-zinc-100 text-zinc-800 hover:bg-zinc-200 dark:bg-zinc-800 dark:text-zinc-200",
  },
  /** Section tabs: scroll sideways on a narrow screen instead of wrapping. */
  tabs: {
    nav: "flex gap-4 overflow-x-auto text-sm whitespace-nowrap",
    link: "shrink-0 border-b-2 px-1 pb-2",
    active: "border-blue-600 font-medium text-zinc-900 dark:text-zinc-100",
    idle: "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400",
  },
};

export function LinkNav({
  label,
  items,
  look = "pills",
  className,
  ...props
}: { label: string; items: NavItem[]; look?: keyof typeof LOOKS } & React.ComponentProps<"nav">) {
  const style = LOOKS[look];
  return (
    <nav className={cn(style.nav, className)} aria-label={label} {...props}>
      {items.map((item) => (
        <Link
          key={item.href}
          href={item.href}
          aria-current={item.active ? "page" : undefined}
          className={cn(style.link, item.active ? style.active : style.idle)}
        >
          {item.label}
          {item.count ? <span className="ml-1 tabular-nums">{item.count}</span> : null}
        </Link>
      ))}
    </nav>
  );
}
