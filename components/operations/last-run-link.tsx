import Link from "next/link";
import { Time } from "@/components/ui/time";
import type { RunOutcome, RunStatus } from "@/db/schema/enums";
import { paths } from "@/lib/paths";
import { RunStatusBadge } from "./status-badge";

export type LastRun = { id: string; status: RunStatus; outcome: RunOutcome; createdAt: Date } | null;

/** "Last run: <badge> <time>" linking to the run, or "never". */
export function LastRunLink({ tenantId, run, label = "Last run" }: { tenantId: string; run: LastRun; label?: string }) {
  return (
    <>
      {label}:{" "}
      {run ? (
        <Link href={paths.run(tenantId, run.id)} className="inline-flex items-center gap-2 hover:underline">
          <RunStatusBadge status={run.status} outcome={run.outcome} /> <Time date={run.createdAt} />
        </Link>
      ) : (
        "never"
      )}
    </>
  );
}
