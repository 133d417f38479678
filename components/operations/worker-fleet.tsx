import type { WorkerFleetView } from "@/lib/operations/worker-fleet";

/** "N workers online", and a warning when none is: queued runs would wait for ever without saying why. */
export function WorkerFleet({ fleet }: { fleet: WorkerFleetView }) {
  return (
    <div className="mt-2 text-sm" data-testid="workers-online">
      <p>
        <span className="font-medium tabular-nums">{fleet.label}</span>{" "}
        <span className="text-xs text-muted">
          ({fleet.window}
          {fleet.online > 0 ? ` · ${fleet.jobsInFlight} jobs running` : ""})
        </span>
      </p>
      {fleet.warning ? (
        <p
          role="alert"
          className="mt-2 rounded-md bg-amber-50 p-2 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          {fleet.warning}
        </p>
      ) : null}
    </div>
  );
}
