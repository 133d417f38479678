import Link from "next/link";
import { cn } from "./cn";

/** The console's one inline link style: underlined so it is not told apart by colour alone. */
export function TextLink({
  className,
  strong = false,
  ...props
}: React.ComponentProps<typeof Link> & { strong?: boolean }) {
  return (
    <Link
      className={cn(
        "text-blue-700 underline decoration-blue-700/40 underline-offset-2 hover:decoration-current dark:text-blue-300 dark:decoration-blue-300/40",
        strong && "font-medium",
        className,
      )}
      {...props}
    />
  );
}
