import { consoleRoutes, serverActions } from "../tests/support/access-surface";
import type { Access, AccessFixture } from "../tests/support/access-table";
import { ACTION_ACCESS, ROUTE_ACCESS } from "../tests/support/access-table";
import { expect, test, withDb } from "./fixtures";
import { createAccessFixture, MEMBER_ROLES, type MemberRole } from "./support/access-fixture";
import {
  actionResult,
  builtActions,
  callAction,
  getPage,
  type HttpAnswer,
  pagePattern,
  signInOverHttp,
} from "./support/console-http";
import { type DatabaseSnapshot, snapshotDatabase } from "./support/database-snapshot";

/**
 * The access-control matrix, generated from the code: every server action (called by its id, as
 * the browser does) and every page and route, as each kind of caller. A refused caller gets the
 * refusal the table promises and nothing is written (tests/support/access-table.ts has the rows).
 */

/** Signed out twice over: no cookie (the proxy answers) and a session cookie that is not a session (the data layer does). */
const CALLERS = ["anonymous", "forged", "non-member", ...MEMBER_ROLES] as const;
type Caller = (typeof CALLERS)[number];
const RANK: Record<MemberRole, number> = { viewer: 1, operator: 2, owner: 3 };

type Refusal = "sign-in" | "not-found" | "forbidden" | "no-effect" | "no-session-access";

/** What `caller` gets from something open to `access`: allowed, or which refusal. */
function expected(access: Access, caller: Caller): "allowed" | Refusal {
  if (access === "public") return "allowed";
  if (access === "bearer") return "no-session-access";
  if (caller === "anonymous" || caller === "forged") return "sign-in";
  if (access === "signed-in") return "allowed";
  if (access === "self") return caller === "owner" ? "allowed" : "no-effect";
  if (caller === "non-member") return "not-found";
  return RANK[caller] >= RANK[access] ? "allowed" : "forbidden";
}

const AUTH_REFUSAL = /was not found|This needs the \w+ role|Only an? \w+ or above/;
const SERVER_ERROR = "Something went wrong on the server";
const toSignIn = (a: HttpAnswer) => a.location.includes("/sign-in");
const redirected = (a: HttpAnswer) => (a.status >= 300 && a.status < 400) || a.location !== "";

/** Whether a route's answer is the one expected, as a problem to report or null. */
function routeProblem(outcome: ReturnType<typeof expected>, answer: HttpAnswer, proof?: string): string | null {
  const ok = (() => {
    switch (outcome) {
      case "allowed":
        return (
          (answer.status === 200 && (!proof || answer.body.includes(proof))) ||
          (redirected(answer) && !toSignIn(answer))
        );
      case "sign-in":
        return answer.status === 401 || (redirected(answer) && toSignIn(answer));
      case "not-found":
        return answer.status === 404;
      case "forbidden":
        // A page may also hide itself from a lower role (404): a stronger refusal.
        return (
          answer.status === 403 ||
          answer.status === 404 ||
          (answer.status === 200 && proof !== undefined && !answer.body.includes(proof))
        );
      case "no-session-access":
        return answer.status === 401 || answer.status === 404;
      case "no-effect":
        return answer.status < 500;
    }
  })();
  return ok ? null : `expected ${outcome}, got ${answer.status} ${answer.location} ${answer.body.slice(0, 200)}`;
}

function actionProblem(outcome: ReturnType<typeof expected>, answer: HttpAnswer): string | null {
  const result = actionResult(answer.body);
  const ok = (() => {
    switch (outcome) {
      case "allowed":
        return answer.status < 400 && !AUTH_REFUSAL.test(result) && !result.includes(SERVER_ERROR) && !toSignIn(answer);
      case "sign-in":
        return toSignIn(answer);
      case "not-found":
        return /was not found/.test(result);
      case "forbidden":
        return /This needs the \w+ role|Only an? \w+ or above/.test(result);
      case "no-effect":
        return answer.status < 500 && !result.includes(SERVER_ERROR);
      case "no-session-access":
        return false;
    }
  })();
  return ok
    ? null
    : `expected ${outcome}, got ${answer.status} ${answer.location} ${result || answer.body.slice(0, 300)}`;
}

function fillPattern(pattern: string, fx: AccessFixture): string {
  const filled = pattern
    .replace(/^[A-Z,]+ /, "")
    .replace("[tenantId]", fx.tenantId)
    .replace("/restores/[runId]", `/restores/${fx.restoreRunId}`)
    .replace("[runId]", fx.runId)
    .replace("[backupId]", fx.backupId)
    .replace("[policyId]", fx.policyId)
    .replace("[channelId]", fx.alertChannelId)
    .replace("[token]", fx.inviteToken)
    .replace("[...nextauth]", "session");
  if (filled.includes("[")) throw new Error(`No fixture value for a parameter of ${pattern}: add one in fillPattern.`);
  return filled;
}

function changedTables(before: DatabaseSnapshot, after: DatabaseSnapshot): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}

let fx: AccessFixture;
let cookies: Record<Caller, string>;
let actionIds: ReturnType<typeof builtActions>;

let signedIn: (role: MemberRole | "non-member") => Promise<string>;

test.beforeAll(async ({ baseURL }, testInfo) => {
  const { fixture, accounts } = await createAccessFixture();
  fx = fixture;
  signedIn = async (role: MemberRole | "non-member") =>
    signInOverHttp(baseURL!, accounts[role].email, accounts[role].password);
  cookies = {
    anonymous: "",
    forged: "next-auth.session-token=not-a-session",
    "non-member": await signedIn("non-member"),
    viewer: await signedIn("viewer"),
    operator: await signedIn("operator"),
    owner: await signedIn("owner"),
  };
  actionIds = builtActions();
  // Runs other specs started finish first, so that only the requests below could write. (Runs
  // parked ahead in time are access fixtures' own "active" runs.)
  testInfo.setTimeout(180_000);
  await expect
    .poll(
      () =>
        withDb(
          async (db) =>
            (
              await db.query(
                "select count(*)::int n from operation_runs where status <> 'completed' and updated_at <= now()",
              )
            ).rows[0].n,
        ),
      { timeout: 120_000 },
    )
    .toBe(0);
});

// The parked run must not stay queued for the specs after this one, which wait for every run to end.
test.afterAll(async () => {
  if (!fx) return;
  await withDb((db) =>
    db.query(
      "update operation_runs set status = 'completed', outcome = 'cancelled', completed_at = now(), updated_at = now() where id = $1 and status <> 'completed'",
      [fx.activeRunId],
    ),
  );
});

test("every server action and route of the code has a row, and every action row an id in the build", () => {
  expect(Object.keys(ACTION_ACCESS).sort()).toEqual(serverActions());
  expect(Object.keys(ROUTE_ACCESS).sort()).toEqual(consoleRoutes());
  expect(Object.keys(ACTION_ACCESS).filter((key) => !actionIds.has(key))).toEqual([]);
});

/**
 * Sends each refused caller's request and reports a wrong answer or any write. `prepare` builds
 * the request (it may write its own targets) before the database is measured.
 */
async function checkRefusals(
  rows: [string, Access][],
  prepare: (key: string, caller: Caller) => Promise<() => Promise<string | null>>,
): Promise<string[]> {
  const problems: string[] = [];
  await withDb(async (db) => {
    for (const [key, access] of rows) {
      for (const caller of CALLERS) {
        if (expected(access, caller) === "allowed") continue;
        const send = await prepare(key, caller);
        const before = await snapshotDatabase(db);
        const problem = await send();
        const written = changedTables(before, await snapshotDatabase(db));
        if (problem) problems.push(`${key} as ${caller}: ${problem}`);
        if (written.length) problems.push(`${key} as ${caller}: wrote to ${written.join(", ")}`);
      }
    }
  });
  return problems;
}

test("refused routes answer as the table says and write nothing", async ({ baseURL }) => {
  const rows = Object.entries(ROUTE_ACCESS).map(([key, row]) => [key, row.access] as [string, Access]);
  const problems = await checkRefusals(rows, async (key, caller) => async () => {
    const answer = await getPage(baseURL!, fillPattern(key, fx), cookies[caller]);
    return routeProblem(expected(ROUTE_ACCESS[key]!.access, caller), answer, ROUTE_ACCESS[key]!.proof);
  });
  expect(problems).toEqual([]);
});

/** Builds an action's call (its arguments may create their own targets); the returned function sends it. */
async function prepareCall(baseURL: string, key: string, caller: Caller) {
  const { id, page } = actionIds.get(key)!;
  const args = await ACTION_ACCESS[key]!.args(fx);
  return () => callAction(baseURL, { id, pathname: fillPattern(pagePattern(page), fx), args, cookie: cookies[caller] });
}

test("refused server actions answer as the table says and write nothing (audit: refusals only)", async ({
  baseURL,
}) => {
  // A database snapshot before and after every refused call: ~150 calls, minutes on a busy machine.
  test.setTimeout(240_000);
  const rows = Object.entries(ACTION_ACCESS).map(([key, row]) => [key, row.access] as [string, Access]);
  const problems = await checkRefusals(rows, async (key, caller) => {
    const send = await prepareCall(baseURL!, key, caller);
    return async () => actionProblem(expected(ACTION_ACCESS[key]!.access, caller), await send());
  });
  expect(problems).toEqual([]);
});

test("permitted callers get every route and action", async ({ baseURL }) => {
  const problems: string[] = [];
  for (const [key, row] of Object.entries(ROUTE_ACCESS)) {
    for (const caller of CALLERS) {
      if (expected(row.access, caller) !== "allowed") continue;
      const problem = routeProblem(
        "allowed",
        await getPage(baseURL!, fillPattern(key, fx), cookies[caller]),
        row.proof,
      );
      if (problem) problems.push(`${key} as ${caller}: ${problem}`);
    }
  }
  for (const [key, row] of Object.entries(ACTION_ACCESS)) {
    for (const caller of CALLERS) {
      if (expected(row.access, caller) !== "allowed") continue;
      const problem = actionProblem("allowed", await (await prepareCall(baseURL!, key, caller))());
      if (problem) problems.push(`${key} as ${caller}: ${problem}`);
      // The caller's cookie belonged to a session the call may have ended: sign in again.
      if (row.endsSessions && caller !== "anonymous" && caller !== "forged") cookies[caller] = await signedIn(caller);
    }
  }
  expect(problems).toEqual([]);
});
