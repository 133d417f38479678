import { cn } from "./cn";

type Variant = "primary" | "secondary" | "ghost" | "danger";

/** Utilities of app/globals.css (buttons repeat on many pages), written out whole so Tailwind finds them. */
const variants: Record<Variant, string> = {
  primary: "btn-primary",
  secondary: "btn-secondary",
  ghost: "btn-ghost",
  /** Destroys something (removing a tenant). */
  danger: "btn-danger",
};

export function buttonClass(variant: Variant = "primary", className?: string) {
  return cn("btn", variants[variant], className);
}

export function Button({ variant, className, ...props }: React.ComponentProps<"button"> & { variant?: Variant }) {
  return <button className={buttonClass(variant, className)} {...props} />;
}
