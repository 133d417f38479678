import { cn } from "./cn";

/**
 * A form's one line of feedback: the refusal (announced at once, role=alert) or the success
 * (role=status); nothing when there is neither.
 */
export function FormMessage({ error, done, className }: { error?: string | null; done?: string; className?: string }) {
  if (error)
    return (
      <p role="alert" className={cn("text-sm text-red-600 dark:text-red-400", className)}>
        {error}
      </p>
    );
  if (done)
    return (
      <p role="status" className={cn("text-sm text-green-700 dark:text-green-400", className)}>
        {done}
      </p>
    );
  return null;
}
