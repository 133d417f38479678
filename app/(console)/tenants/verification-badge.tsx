import { cn } from "@/components/ui/cn";
import type { VerificationStatus } from "@/db/schema/enums";

const LOOK: Record<VerificationStatus, [string, string]> = {
  unverified: ["Not verified", "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"],
  verified: ["Verified", "bg-green-50 text-green-700 dark:bg-green-950 dark:text-green-300"],
  failed: ["Verification failed", "bg-red-50 text-red-700 dark:bg-red-950 dark:text-red-300"],
};

export function VerificationBadge({ status }: { status: VerificationStatus }) {
  const [label, className] = LOOK[status];
  return (
    <span data-testid="verification-status" className={cn("rounded-full px-2 py-0.5 text-xs font-medium", className)}>
      {label}
    </span>
  );
}
