import Link from "next/link";
import { cn } from "./cn";

export type NavItem = { label: string; href: string; active: boolean; count?: string };

/** The two looks of a row of links where one is the current view (utilities of app/globals.css). */
const LOOKS = {
  /** Status chips, notification filters. */
  pills: {
    nav: "flex flex-wrap gap-2 text-sm",
    link: "nav-pill",
    active: "nav-pill-active",
    idle: "nav-pill-idle",
  },
  /** Section tabs: scroll sideways on a narrow screen instead of wrapping. */
  tabs: {
    nav: "flex gap-4 overflow-x-auto text-sm whitespace-nowrap",
    link: "nav-tab",
    active: "nav-tab-active",
    idle: "nav-tab-idle",
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
