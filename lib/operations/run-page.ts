import type { OperationRun, RunFailure } from "@/db/schema";
import type { MembershipRole } from "@/db/schema/enums";
import { formatDuration } from "@/lib/format";
import type { ShownRun } from "@/lib/live/run-progress";
import { JOINED_PARAM, paths } from "@/lib/paths";
import { roleShortfall } from "@/lib/tenants/roles";
import { INITIATOR_KIND_LABELS } from "./labels";
import { type OperationRegistry, operationDefinition, operationLabel, operations } from "./registry";
import { MAX_FAILURES } from "./runs";

export const FAILURES_PER_PAGE = 20;

type SearchParams = Record<string, string | string[] | undefined>;
export type TimelineStep = { label: string; done: boolean; time: Date | null; note?: string };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Everything the run page shows, derived from the run row as the database returned it (with the
 * database's clock, `observedAt`), the viewer's role and the page's query. The page only renders.
 */
export function runPageView({
  run,
  role,
  query,
  registry = operations,
}: {
  run: OperationRun & { observedAt: Date };
  role: MembershipRole;
  query: SearchParams;
  registry?: OperationRegistry;
}) {
  const active = run.status !== "completed";
  const now = run.observedAt.getTime();
  const definition = operationDefinition(registry, run.type);
  const waitedUntil = run.startedAt ?? (active ? run.observedAt : run.completedAt);

  const kindLabel = INITIATOR_KIND_LABELS[run.initiatorKind];
  const startedBy = kindLabel ? `${run.initiatorName} (${kindLabel.toLowerCase()})` : run.initiatorName;
  const timeline: TimelineStep[] = [
    { label: "Queued", done: true, time: run.createdAt, note: `by ${startedBy}` },
    {
      label: "Started",
      done: Boolean(run.startedAt),
      time: run.startedAt,
      note: waitedUntil ? `waited ${formatDuration(waitedUntil.getTime() - run.createdAt.getTime())}` : undefined,
    },
    ...(run.cancelRequestedAt
      ? [
          {
            label: "Cancel requested",
            done: true,
            time: run.cancelRequestedAt,
            note: `by ${run.cancelRequestedBy ?? "someone"}`,
          },
        ]
      : []),
    {
      label: "Completed",
      done: !active,
      time: run.completedAt,
      note: run.startedAt
        ? `${active ? "running for" : "ran"} ${formatDuration((run.completedAt?.getTime() ?? now) - run.startedAt.getTime())}`
        : undefined,
    },
  ];

  return {
    id: run.id,
    title: operationLabel(run.type, registry),
    status: run.status,
    outcome: run.outcome,
    active,
    /** Set after a start that found this run already active: who started it, and when. */
    joined: first(query[JOINED_PARAM]) ? { by: run.initiatorName, at: run.createdAt } : null,
    actions: {
      cancelRequested: run.cancelRequestedAt !== null,
      deniedReason: roleShortfall(role, definition?.minRole ?? "owner", "Cancel and re-run"),
    },
    timeline,
    details: {
      type: run.type,
      outcome: run.outcome.replace("_", " "),
      startedBy: { name: run.initiatorName, kind: run.initiatorKind },
      attempt: attemptLabel(run),
      results: definition?.results
        ? { label: definition.results.label, href: definition.results.href({ tenantId: run.tenantId, id: run.id }) }
        : null,
    },
    /** What the page shows of the run besides its counts, for progress in place (lib/live/run-progress.ts). */
    live: {
      id: run.id,
      status: run.status,
      outcome: run.outcome,
      failureCount: run.failures.length,
      cancelRequested: run.cancelRequestedAt !== null,
      renderedAt: run.observedAt.getTime(),
    } satisfies ShownRun,
    counts: run.summaryCounts,
    countsEmpty: active ? "Counts appear as the work progresses." : "This run reported no counts.",
    failures: failurePage(run, Number.parseInt(first(query.failures) ?? "1", 10)),
    attempts: run.attemptErrors.map((a) => ({ ...a, at: `${a.at.replace("T", " ").slice(0, 19)} UTC` })),
    inputs: JSON.stringify(run.inputs, null, 2),
  };
}

/** The attempt number, noting hand-backs at shutdown (they spend no attempt, so the number stays). */
function attemptLabel(run: Pick<OperationRun, "attempt" | "attemptErrors">) {
  if (!run.attempt) return "—";
  const handedBack = run.attemptErrors.filter((a) => a.handedBack).length;
  if (handedBack === 0) return String(run.attempt);
  return `${run.attempt} (handed back at shutdown ${handedBack === 1 ? "once" : `${handedBack} times`})`;
}

/** One page of the kept failures, with links to every page. */
function failurePage(run: Pick<OperationRun, "id" | "tenantId" | "failures">, requested: number) {
  const total = run.failures.length;
  if (total === 0) return null;
  const pageCount = Math.ceil(total / FAILURES_PER_PAGE);
  const page = Math.min(Math.max(1, Number.isFinite(requested) ? requested : 1), pageCount);
  const shown: RunFailure[] = run.failures.slice((page - 1) * FAILURES_PER_PAGE, page * FAILURES_PER_PAGE);
  return {
    total,
    /** Set when the run kept only its first failures (the count of all of them is in its summary). */
    keptOnly: total >= MAX_FAILURES ? MAX_FAILURES : null,
    shown,
    pages:
      pageCount > 1
        ? Array.from({ length: pageCount }, (_, i) => ({
            number: i + 1,
            href: paths.run(run.tenantId, run.id, { failures: i + 1 }),
            current: i + 1 === page,
          }))
        : [],
  };
}

export type RunPageView = ReturnType<typeof runPageView>;
