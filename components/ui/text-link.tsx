import Link from "next/link";
import { cn } from "./cn";

/** The console's one inline link style: underlined so it is not told apart by colour alone. */
export function TextLink({
  className,
  strong = false,
  ...props
}: React.ComponentProps<typeof Link> & { strong?: boolean }) {
  return <Link className={cn("text-link", strong && "font-medium", className)} {...props} />;
}
