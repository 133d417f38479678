import { cn } from "@/components/ui/cn";
import type { AccessView, IntuneTone } from "@/lib/tenants/access-view";

const TONE: Record<IntuneTone, string> = {
  ok: "bg-green-50 text-green-700 ring-green-300 dark:bg-green-950 dark:text-green-300 dark:ring-green-800",
  warning: "bg-amber-50 text-amber-800 ring-amber-300 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-800",
  error: "bg-red-50 text-red-700 ring-red-300 dark:bg-red-950 dark:text-red-300 dark:ring-red-800",
  unknown: "bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-600",
};

/**
 * What the app registration may do in this tenant, as the last verification found it: whether the
 * tenant has Intune, and each missing Microsoft Graph application permission with the operations
 * that need it.
 */
export function AppAccess({ access }: { access: AccessView | null }) {
  if (!access) {
    return (
      <p className="text-sm text-muted" data-testid="app-access">
        Verify the connection to check the app&apos;s Graph permissions and whether the tenant has Intune.
      </p>
    );
  }
  return (
    <div className="space-y-4 text-sm" data-testid="app-access">
      <div className="flex flex-wrap items-start gap-x-3 gap-y-1">
        <h3 className="font-medium">Intune</h3>
        <span
          data-testid="intune-status"
          data-status={access.intune.status}
          className={cn("rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", TONE[access.intune.tone])}
        >
          {access.intune.label}
        </span>
        <p className="w-full text-xs text-muted">{access.intune.detail}</p>
      </div>
      <div>
        <h3 className="font-medium">Application permissions</h3>
        {access.granted === null ? (
          <p className="text-muted">The app&apos;s token did not show its permissions.</p>
        ) : access.gaps.length === 0 ? (
          <p className="text-muted" data-testid="permissions-complete">
            The app has every permission the console&apos;s operations need.
          </p>
        ) : (
          <ul className="mt-2 space-y-2" data-testid="permission-gaps" aria-label="Missing permissions">
            {access.gaps.map((gap) => (
              <li
                key={gap.permission}
                data-permission={gap.permission}
                className="rounded-md bg-amber-50 p-3 text-amber-900 dark:bg-amber-950 dark:text-amber-100"
              >
                <p>
                  Missing <code className="font-mono text-xs font-semibold">{gap.permission}</code>
                  {gap.alternatives.length ? (
                    <span className="text-xs"> (or {gap.alternatives.join(", ")})</span>
                  ) : null}
                </p>
                <p className="text-xs">Needed by: {gap.operations.join(", ")}</p>
              </li>
            ))}
          </ul>
        )}
        {access.granted?.length ? (
          <details className="mt-2 text-xs text-muted">
            <summary className="cursor-pointer">Granted ({access.granted.length})</summary>
            <p className="mt-1 font-mono">{access.granted.join(", ")}</p>
          </details>
        ) : null}
        <p className="mt-2 text-xs text-muted">
          Grant missing permissions under API permissions (Microsoft Graph, application) with admin consent, then verify
          again.
        </p>
      </div>
    </div>
  );
}
