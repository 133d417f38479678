import { type Client, GraphError } from "@microsoft/microsoft-graph-client";
import { type AssignBody, assignmentsIn } from "@/lib/restores/payload";
import { sleep } from "@/lib/sleep";

/**
 * Graph is eventually consistent right after a write. A policy created seconds ago can answer 404
 * while it replicates (IntuneManagement polls a just-imported object for up to two minutes before
 * it uses it), and Intune can refuse a group Entra ID created moments ago until it has replicated
 * (Microsoft365DSC PR 7167, EasyPIM issue 22: 5 to 30 seconds and more). Both look like permanent
 * 4xx; they are transient only in those circumstances, and only for a bounded time.
 */
export const SETTLE_WINDOW_MS = 120_000;
/** A group Entra ID created this recently may not be known to Intune yet. */
export const NEW_GROUP_MS = 10 * 60_000;
const FIRST_PAUSE_MS = 1000;
const LONGEST_PAUSE_MS = 16_000;

/**
 * `POST {policyPath}/assign`, retried with growing pauses while the failure is one of replication:
 * a 404 for a policy this attempt created less than SETTLE_WINDOW_MS ago (`createdAt`), or a 400
 * while a group the body names exists in Entra ID and is younger than NEW_GROUP_MS. Anything else,
 * and anything still failing after SETTLE_WINDOW_MS, is thrown as Graph answered it.
 */
export async function assignWhenSettled(
  graph: Client,
  options: { policyPath: string; body: AssignBody; createdAt?: number; signal: AbortSignal },
): Promise<void> {
  await actionWhenSettled(graph, { ...options, action: "assign" });
}

/** A bound action of a policy (`assign`, `targetApps`), retried while the policy or a group it names replicates. */
export async function actionWhenSettled(
  graph: Client,
  {
    policyPath,
    action,
    body,
    createdAt,
    signal,
  }: { policyPath: string; action: string; body: Record<string, unknown>; createdAt?: number; signal: AbortSignal },
): Promise<void> {
  await whenSettled(graph, {
    write: () => graph.api(`${policyPath}/${action}`).version("beta").option("signal", signal).post(body),
    // The groups an `/assign` body names (another action's body names none).
    groupIds: groupIdsIn(assignmentsIn(body as AssignBody) as { target?: Record<string, unknown> }[]),
    createdAt,
    signal,
  });
}

/** The groups a list of assignments targets. */
export const groupIdsIn = (assignments: { target?: Record<string, unknown> }[]) =>
  new Set(assignments.map((a) => a?.target?.groupId).filter((id): id is string => typeof id === "string"));

/**
 * An assignment write (`write`, which must be safe to repeat), retried as assignWhenSettled says
 * while its failure is one of replication of the policy or of one of `groupIds`.
 */
export async function whenSettled(
  graph: Client,
  {
    write,
    groupIds,
    createdAt,
    signal,
  }: { write: () => Promise<unknown>; groupIds: Set<string>; createdAt?: number; signal: AbortSignal },
): Promise<void> {
  const started = Date.now();
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    try {
      await write();
      return;
    } catch (err) {
      const withinWindow = Date.now() + pause - started <= SETTLE_WINDOW_MS;
      if (!withinWindow || !(await isReplicating(graph, { err, groupIds, createdAt, signal }))) throw err;
      await sleep(pause, signal);
    }
  }
}

async function isReplicating(
  graph: Client,
  {
    err,
    groupIds,
    createdAt,
    signal,
  }: { err: unknown; groupIds: Set<string>; createdAt?: number; signal: AbortSignal },
): Promise<boolean> {
  if (!(err instanceof GraphError)) return false;
  if (err.statusCode === 404) return createdAt !== undefined && Date.now() - createdAt < SETTLE_WINDOW_MS;
  if (err.statusCode !== 400) return false;
  for (const id of groupIds) {
    if (await isNewGroup(graph, { id, signal })) return true;
  }
  return false;
}

/** Whether Entra ID has this group and created it less than NEW_GROUP_MS ago (a deleted group is not new). */
async function isNewGroup(graph: Client, { id, signal }: { id: string; signal: AbortSignal }) {
  try {
    const group = (await graph
      .api(`/groups/${id}`)
      .version("v1.0")
      .select(["id", "createdDateTime"])
      .option("signal", signal)
      .get()) as { createdDateTime?: string };
    const created = Date.parse(group.createdDateTime ?? "");
    return Number.isFinite(created) && Date.now() - created < NEW_GROUP_MS;
  } catch (err) {
    if (err instanceof GraphError && err.statusCode === 404) return false;
    throw err;
  }
}

/** `read`, again with growing pauses while a 404 is the replication of an object this attempt created. */
export async function settled<T>(
  read: () => Promise<T>,
  { createdAt, signal }: { createdAt?: number; signal: AbortSignal },
): Promise<T> {
  for (let pause = 1000; ; pause = Math.min(pause * 2, 16_000)) {
    try {
      return await read();
    } catch (err) {
      const replicating =
        err instanceof GraphError &&
        err.statusCode === 404 &&
        createdAt !== undefined &&
        Date.now() + pause - createdAt < SETTLE_WINDOW_MS;
      if (!replicating) throw err;
      await sleep(pause, signal);
    }
  }
}
