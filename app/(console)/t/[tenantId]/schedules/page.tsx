import type { Metadata } from "next";
import Link from "next/link";
import { ScheduleControls } from "@/components/schedules/schedule-controls";
import { ScheduleForm } from "@/components/schedules/schedule-form";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { tenantPageAccess } from "@/lib/auth/guards";
import { createScheduleAction, updateScheduleAction } from "@/lib/schedules/actions";
import { schedulesView } from "@/lib/schedules/view";

export const metadata: Metadata = { title: "Schedules" };

const NOTIFY_WORDS = { always: "every run", problems: "failures and partial successes", never: "nothing" } as const;

/** A tenant's recurring operations. Every member reads them; operators and owners change them. */
export default async function SchedulesPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { user } = await tenantPageAccess(tenantId);
  const view = await schedulesView(getDb(), { userId: user.id, tenantId });
  return (
    <div className="space-y-6">
      <Card>
        <h2 className="mb-3 text-lg font-semibold">Schedules</h2>
        {view.schedules.length === 0 ? (
          <EmptyState title="No schedules yet">
            {view.canEdit
              ? "Add one below to sync or back up this tenant without a click."
              : "Operators and owners can add schedules."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Schedules">
            {view.schedules.map((s) => (
              <li key={s.id} className="space-y-2 py-4" data-testid="schedule" data-name={s.name}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <p className="font-medium">
                    {s.name} <span className="font-normal text-muted">· {s.typeLabel}</span>
                  </p>
                  <p className="flex gap-2 text-xs">
                    {s.paused ? (
                      <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                        Paused
                      </span>
                    ) : null}
                    {s.overdueSince ? (
                      <span
                        className="rounded bg-amber-100 px-1.5 py-0.5 text-amber-900 dark:bg-amber-900 dark:text-amber-100"
                        data-testid="schedule-overdue"
                      >
                        Overdue: missed <Time date={s.overdueSince} />
                      </span>
                    ) : null}
                  </p>
                </div>
                <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2 lg:grid-cols-4">
                  <div>
                    <dt className="text-muted">Repeats</dt>
                    <dd>{s.timing}</dd>
                  </div>
                  <div>
                    <dt className="text-muted">Next firing</dt>
                    <dd data-testid="schedule-next">
                      {s.nextFiring ? <Time date={s.nextFiring} /> : "None while paused"}
                    </dd>
                  </div>
                  <div>
                    <dt className="text-muted">Last run</dt>
                    <dd data-testid="schedule-last-run">
                      {s.lastRun ? (
                        <Link href={s.lastRun.href} className="underline">
                          {s.lastRun.label}, <Time date={s.lastRun.at} />
                        </Link>
                      ) : s.lastFiring?.outcome === "skipped" ? (
                        <span>Skipped: {s.lastFiring.reason}</span>
                      ) : (
                        "Not yet"
                      )}
                    </dd>
                  </div>
                  <div>
                    <dt className="text-muted">Notifies its owner of</dt>
                    <dd>{NOTIFY_WORDS[s.notify]}</dd>
                  </div>
                </dl>
                {view.canEdit ? (
                  <>
                    <ScheduleControls tenantId={tenantId} scheduleId={s.id} name={s.name} paused={s.paused} />
                    <details>
                      <summary className="cursor-pointer text-sm underline">Edit {s.name}</summary>
                      <div className="mt-3">
                        <ScheduleForm
                          action={updateScheduleAction.bind(null, tenantId, s.id)}
                          types={view.types}
                          values={s}
                          idPrefix={`edit-${s.id}`}
                          submitLabel="Save schedule"
                        />
                      </div>
                    </details>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
      {view.canEdit ? (
        <Card>
          <h2 className="mb-3 text-lg font-semibold">New schedule</h2>
          <p className="mb-3 text-sm text-muted">Its runs start on your behalf and notify you as you choose here.</p>
          <ScheduleForm
            action={createScheduleAction.bind(null, tenantId)}
            types={view.types}
            idPrefix="new-schedule"
            submitLabel="Create schedule"
            resetOnSuccess
          />
        </Card>
      ) : null}
    </div>
  );
}
