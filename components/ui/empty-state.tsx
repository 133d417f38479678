import { cn } from "./cn";

/** The dashed box a list shows when it has nothing to show, saying why and what to do next. */
export function EmptyState({
  title,
  children,
  className,
  ...props
}: { title?: React.ReactNode } & React.ComponentProps<"div">) {
  return (
    <div
      className={cn(
        "rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-700 dark:border-zinc-700 dark:text-zinc-300",
        className,
      )}
      {...props}
    >
      {title ? <p className="font-medium text-zinc-900 dark:text-zinc-100">{title}</p> : null}
      {children ? <div className={title ? "mt-1" : undefined}>{children}</div> : null}
    </div>
  );
}
