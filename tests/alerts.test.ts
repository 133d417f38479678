import { randomUUID } from "node:crypto";
import { asc, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { alertChannels, alertDeliveries, alertDeliveryAttempts, auditEvents, operationRuns } from "@/db/schema";
import type { AlertRules } from "@/db/schema/alerts";
import { createChannel, getChannel, listChannels, rotateSigningSecret, sendTestAlert } from "@/lib/alerts/channels";
import { ALERT_QUEUE } from "@/lib/alerts/queue";
import { raiseRunAlerts, raiseScheduleOverdue } from "@/lib/alerts/raise";
import { sealChannelUrl } from "@/lib/alerts/secrets";
import { DELIVERY_HEADER, SIGNATURE_HEADER, verifySignature } from "@/lib/alerts/signature";
import { ForbiddenError, InputError, NotFoundError } from "@/lib/errors";
import { startOperation } from "@/lib/operations/start";
import { startReceiver } from "./support/alert-receiver";
import {
  actor,
  addMember,
  createTestTenant,
  createUser,
  encryptionKey,
  openHarness,
  waitForCompletion,
} from "./support/harness";

// Real parts end to end: runs end in a real worker, deliveries are pg-boss jobs worked by it, and
// they reach real HTTP receivers on 127.0.0.1 (the harness tries alerts after 1 s, then 2 s, …).
let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
  await h.startWorker();
});
afterAll(async () => {
  await h.close();
});

const RULES: AlertRules = {
  runFailed: true,
  runPartiallySucceeded: true,
  operationTypes: [],
  driftDetected: true,
  scheduleOverdue: true,
};

async function ownedTenant() {
  const owner = await createUser(h.db, "Olivia Owner");
  const tenant = await createTestTenant(h.db, owner.id, { displayName: "Signal Hill Telecom" });
  return { owner, tenantId: tenant.id };
}

async function deliveriesOf(db: Db, channelId: string) {
  return db.select().from(alertDeliveries).where(eq(alertDeliveries.channelId, channelId));
}

async function untilSettled(db: Db, channelId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await deliveriesOf(db, channelId);
    if (rows.length > 0 && rows.every((d) => d.status !== "pending")) return rows;
    if (Date.now() > deadline) throw new Error(`deliveries of ${channelId} still pending after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("alert deliveries", () => {
  it("signs the delivery for a failed run so the receiver can verify it; a filtered channel hears nothing", async () => {
    const receiver = await startReceiver();
    const { owner, tenantId } = await ownedTenant();
    const { id: channelId, signingSecret } = await createChannel(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId,
      name: "Ops webhook",
      kind: "webhook",
      url: receiver.url,
      rules: RULES,
    });
    const filtered = await createChannel(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId,
      name: "Inventory only",
      kind: "webhook",
      url: receiver.url,
      rules: { ...RULES, operationTypes: ["inventory.sync"] },
    });

    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.fatal",
      inputs: { key: randomUUID() },
    });
    expect((await waitForCompletion(h.db, run.id)).outcome).toBe("failed");
    const [delivery] = await untilSettled(h.db, channelId);
    const [request] = await receiver.until(1);

    expect(delivery).toMatchObject({ status: "delivered", attempts: 1, runId: run.id, eventType: "run.failed" });
    expect(request!.headers[DELIVERY_HEADER]).toBe(delivery!.id);
    const header = request!.headers[SIGNATURE_HEADER] as string;
    expect(verifySignature(signingSecret, { header, body: request!.body })).toBe(true);
    // A body changed on the way, or another channel's secret, does not verify.
    expect(verifySignature(signingSecret, { header, body: request!.body.replace("failed", "passed") })).toBe(false);
    expect(verifySignature(filtered.signingSecret, { header, body: request!.body })).toBe(false);
    expect(JSON.parse(request!.body)).toMatchObject({
      id: delivery!.id,
      type: "run.failed",
      tenant: { id: tenantId, name: "Signal Hill Telecom" },
      run: { id: run.id, type: "test.fatal", outcome: "failed", failures: [{ code: "bad_configuration" }] },
    });
    expect(await deliveriesOf(h.db, filtered.id)).toEqual([]);
    expect(receiver.received).toHaveLength(1);
    await receiver.close();
  }, 90_000);

  it("retries a receiver that answers 500 with growing waits, every try a row, until it recovers", async () => {
    const receiver = await startReceiver((_, index) => (index < 2 ? 500 : 204));
    const { owner, tenantId } = await ownedTenant();
    const { id: channelId } = await createChannel(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId,
      name: "Flaky receiver",
      kind: "webhook",
      url: receiver.url,
      rules: { ...RULES, runFailed: false },
    });
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.partial",
      inputs: { key: randomUUID() },
    });
    expect((await waitForCompletion(h.db, run.id)).outcome).toBe("partially_succeeded");
    const [delivery] = await untilSettled(h.db, channelId);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 3, eventType: "run.partially_succeeded" });

    const tries = await h.db
      .select()
      .from(alertDeliveryAttempts)
      .where(eq(alertDeliveryAttempts.deliveryId, delivery!.id))
      .orderBy(asc(alertDeliveryAttempts.attempt));
    expect(tries.map((t) => [t.attempt, t.ok, t.statusCode])).toEqual([
      [1, false, 500],
      [2, false, 500],
      [3, true, 204],
    ]);
    expect(tries[0]!.error).toMatch(/answered 500/);
    // Backoff: the next try is announced 1 s, then 2 s after the failed one, and not made earlier.
    const wait = (i: number) => tries[i]!.nextRetryAt!.getTime() - tries[i]!.attemptedAt.getTime();
    expect(wait(0)).toBeGreaterThanOrEqual(900);
    expect(wait(1)).toBeGreaterThanOrEqual(1900);
    expect(tries[2]!.nextRetryAt).toBeNull();
    const gaps = [1, 2].map((i) => receiver.received[i]!.at - receiver.received[i - 1]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1900);
    // The receiver deduplicates on one id across the tries.
    expect(new Set(receiver.received.map((r) => r.headers[DELIVERY_HEADER]))).toEqual(new Set([delivery!.id]));

    // The channel's page reads every try; the channel is healthy again after its success.
    const page = await getChannel(h.db, { userId: owner.id, tenantId, channelId });
    expect(page.deliveries[0]!.tries.map((t) => t.statusCode)).toEqual([500, 500, 204]);
    expect(page.channel.failing).toBe(false);
    await receiver.close();
  }, 90_000);

  it("a channel paused while a delivery waits for its retry sends nothing more", async () => {
    const receiver = await startReceiver(() => 500);
    const { owner, tenantId } = await ownedTenant();
    const { id: channelId } = await createChannel(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId,
      name: "Paused receiver",
      kind: "webhook",
      url: receiver.url,
      rules: { ...RULES, runFailed: false },
    });
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.partial",
      inputs: { key: randomUUID() },
    });
    expect((await waitForCompletion(h.db, run.id)).outcome).toBe("partially_succeeded");
    await receiver.until(1);
    // The first try failed; its retry is queued 1 s later. The owner pauses the channel now.
    await h.db.update(alertChannels).set({ enabled: false }).where(eq(alertChannels.id, channelId));
    const [delivery] = await untilSettled(h.db, channelId);
    expect(delivery).toMatchObject({ status: "failed", attempts: 2 });
    const tries = await h.db
      .select()
      .from(alertDeliveryAttempts)
      .where(eq(alertDeliveryAttempts.deliveryId, delivery!.id))
      .orderBy(asc(alertDeliveryAttempts.attempt));
    expect(tries.map((t) => [t.attempt, t.statusCode, t.nextRetryAt === null])).toEqual([
      [1, 500, false],
      [2, null, true],
    ]);
    expect(tries[1]!.error).toMatch(/paused/);
    expect(receiver.received).toHaveLength(1);
    await receiver.close();
  }, 90_000);

  it("marks a channel whose receiver keeps failing as failing, and runs go on regardless", async () => {
    const receiver = await startReceiver(() => 503);
    const { owner, tenantId } = await ownedTenant();
    const { id: channelId } = await createChannel(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId,
      name: "Down receiver",
      kind: "webhook",
      url: receiver.url,
      rules: RULES,
    });
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.fatal",
      inputs: { key: randomUUID() },
    });
    await waitForCompletion(h.db, run.id);
    // Meanwhile other work finishes as usual.
    const { run: next } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.noop",
      inputs: { key: randomUUID() },
    });
    expect((await waitForCompletion(h.db, next.id)).outcome).toBe("succeeded");
    const [delivery] = await untilSettled(h.db, channelId);
    expect(delivery).toMatchObject({ status: "failed", attempts: 4 });
    const { channels } = await listChannels(h.db, { userId: owner.id, tenantId });
    expect(channels).toEqual([expect.objectContaining({ id: channelId, failing: true })]);
    await receiver.close();
  }, 90_000);

  it("sends Slack's {text, blocks} and a Teams Workflows Adaptive Card message", async () => {
    const receiver = await startReceiver();
    const { owner, tenantId } = await ownedTenant();
    const channel = (kind: "slack" | "teams") =>
      createChannel(h.db, encryptionKey, {
        actor: actor(owner),
        tenantId,
        name: `${kind} <!channel> & co`,
        kind,
        url: `${receiver.url}/${kind}`,
        rules: RULES,
      });
    const slack = await channel("slack");
    await sendTestAlert(h.db, h.deps.boss, { actor: actor(owner), tenantId, channelId: slack.id });
    const [slackRequest] = await receiver.until(1);
    const teams = await channel("teams");
    await sendTestAlert(h.db, h.deps.boss, { actor: actor(owner), tenantId, channelId: teams.id });
    const [, teamsRequest] = await receiver.until(2);

    const slackBody = JSON.parse(slackRequest!.body);
    expect(slackBody.text).toBe("Test alert for Signal Hill Telecom");
    expect(slackBody.blocks[0]).toMatchObject({ type: "section", text: { type: "mrkdwn" } });
    // The channel's name is the sender's text: Slack markup in it is escaped, so it pings nobody.
    expect(slackBody.blocks[0].text.text).toContain("&lt;!channel&gt; &amp; co");
    expect(slackBody.blocks[0].text.text).not.toContain("<!channel>");

    const teamsBody = JSON.parse(teamsRequest!.body);
    const textBlock = { type: "TextBlock", wrap: true, weight: "Bolder", size: "Medium" };
    expect(teamsBody).toMatchObject({
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          content: {
            type: "AdaptiveCard",
            version: "1.4",
            body: expect.arrayContaining([{ ...textBlock, text: "Test alert for Signal Hill Telecom" }]),
          },
        },
      ],
    });
    expect(await untilSettled(h.db, teams.id)).toEqual([
      expect.objectContaining({ status: "delivered", eventType: "test" }),
    ]);
    await receiver.close();
  }, 60_000);
});

describe("channels: input, roles and secrets", () => {
  const counts = async () => ({
    channels: (await h.db.select({ n: count() }).from(alertChannels))[0]!.n,
    audit: (await h.db.select({ n: count() }).from(auditEvents))[0]!.n,
  });

  it.each([
    ["http://example.com/hook", /https:\/\/ \(http:\/\/ is allowed only for localhost\)/],
    ["https://10.0.0.5/hook", /private or reserved address \(10\.0\.0\.5\)/],
    ["https://169.254.169.254/latest/meta-data", /private or reserved address \(169\.254\.169\.254\)/],
    ["https://[::ffff:192.168.1.1]/hook", /private or reserved address/],
    ["https://[fd00::1]/hook", /private or reserved address/],
    ["http://192.168.1.10/hook", /must use https/],
    ["not a url", /Enter a full URL/],
    ["ftp://example.com/hook", /must start with https/],
    ["https://user:pass@example.com/hook", /user name or password/],
  ])("refuses %s with a clear message and writes nothing", async (url, message) => {
    const { owner, tenantId } = await ownedTenant();
    const before = await counts();
    const refusal = createChannel(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId,
      name: "Bad",
      kind: "webhook",
      url,
      rules: RULES,
    });
    await expect(refusal).rejects.toThrow(InputError);
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.toMatchObject({ fieldErrors: { url: [expect.stringMatching(message)] } });
    expect(await counts()).toEqual(before);
  });

  it("refuses operators, viewers and non-members, and writes nothing", async () => {
    const { tenantId } = await ownedTenant();
    const operator = await createUser(h.db, "Oscar Operator");
    const viewer = await createUser(h.db, "Vera Viewer");
    const stranger = await createUser(h.db, "Stan Stranger");
    await addMember(h.db, { userId: operator.id, tenantId, role: "operator" });
    await addMember(h.db, { userId: viewer.id, tenantId, role: "viewer" });
    const before = await counts();
    const attempt = (user: { id: string; name: string }) =>
      createChannel(h.db, encryptionKey, {
        actor: actor(user),
        tenantId,
        name: "Mine",
        kind: "webhook",
        url: "https://10.0.0.1/ (refused for the role before the URL is looked at)",
        rules: RULES,
      });
    await expect(attempt(operator)).rejects.toThrow(ForbiddenError);
    await expect(attempt(viewer)).rejects.toThrow(ForbiddenError);
    await expect(attempt(stranger)).rejects.toThrow(NotFoundError);
    expect(await counts()).toEqual(before);
  });

  it("never answers a secret or the URL's path in the list or a channel's page; rotation answers a new one once", async () => {
    const { owner, tenantId } = await ownedTenant();
    const viewer = await createUser(h.db, "Vera Viewer");
    await addMember(h.db, { userId: viewer.id, tenantId, role: "viewer" });
    const url = "http://localhost:9/services/T000/B000/XXXXbearerXXXX";
    const { id: channelId, signingSecret } = await createChannel(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId,
      name: "Slack ops",
      kind: "slack",
      url,
      rules: RULES,
    });
    const [stored] = await h.db.select().from(alertChannels).where(eq(alertChannels.id, channelId));
    expect(JSON.stringify(stored)).not.toContain(signingSecret);
    expect(JSON.stringify(stored)).not.toContain("XXXXbearerXXXX");
    expect(stored!.urlHost).toBe("localhost:9");

    const { signingSecret: rotated } = await rotateSigningSecret(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId,
      channelId,
    });
    expect(rotated).not.toBe(signingSecret);
    for (const user of [owner, viewer]) {
      const answers = JSON.stringify([
        await listChannels(h.db, { userId: user.id, tenantId }),
        await getChannel(h.db, { userId: user.id, tenantId, channelId }),
      ]);
      for (const secret of [signingSecret, rotated, "XXXXbearerXXXX", "/services/"])
        expect(answers).not.toContain(secret);
      expect(answers).toContain("localhost:9");
    }
    const actions = await h.db
      .select({ action: auditEvents.action, details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.targetId, channelId));
    expect(actions.map((a) => a.action).sort()).toEqual(["alert_channel.create", "alert_channel.secret_rotate"]);
    expect(JSON.stringify(actions)).not.toContain("XXXXbearerXXXX");
  });
});

describe("raising alerts in the caller's transaction", () => {
  async function completedRun(tenantId: string, type: string, summaryCounts: Record<string, number>) {
    const [run] = await h.db
      .insert(operationRuns)
      .values({
        tenantId,
        type,
        status: "completed",
        outcome: "succeeded",
        runIdentityHash: randomUUID(),
        inputs: {},
        summaryCounts,
        initiatorKind: "system",
        initiatorName: "TenantAtlas",
        completedAt: new Date(),
      })
      .returning();
    return run!;
  }
  const jobsFor = async (deliveryIds: string[]) =>
    (
      await h.db.execute<{ n: number }>(
        sql`select count(*)::int as n from pgboss.job where name = ${ALERT_QUEUE} and data ->> 'deliveryId' in (${sql.join(
          deliveryIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      )
    ).rows[0]!.n;

  it("raises drift.detected for a drift run that found changes, and nothing for a clean one", async () => {
    const { owner, tenantId } = await ownedTenant();
    const { id: channelId } = await createChannel(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId,
      name: "Drift only",
      kind: "webhook",
      url: "http://localhost:9/none",
      rules: { ...RULES, runFailed: false, runPartiallySucceeded: false, scheduleOverdue: false },
    });
    const drifted = await completedRun(tenantId, "drift.detect", { changed: 1, missing: 1, new: 0 });
    const clean = await completedRun(tenantId, "drift.detect", { changed: 0, missing: 0, new: 0 });
    await h.db.transaction(async (tx) => {
      expect(await raiseRunAlerts(tx, { boss: h.deps.boss, run: drifted, label: "Detect drift" })).toBe(1);
      expect(await raiseRunAlerts(tx, { boss: h.deps.boss, run: clean, label: "Detect drift" })).toBe(0);
      expect(
        await raiseScheduleOverdue(tx, {
          boss: h.deps.boss,
          tenantId,
          scheduleId: randomUUID(),
          scheduleName: "Nightly",
        }),
      ).toBe(0);
    });
    const rows = await deliveriesOf(h.db, channelId);
    expect(rows).toEqual([expect.objectContaining({ eventType: "drift.detected", runId: drifted.id })]);
    expect(rows[0]!.event).toMatchObject({ drift: { changed: 1, missing: 1, new: 0 } });
    expect(await jobsFor(rows.map((r) => r.id))).toBe(1);
  });

  it("leaves neither a delivery nor its job behind when the caller's transaction rolls back", async () => {
    const { owner, tenantId } = await ownedTenant();
    const { id: channelId } = await createChannel(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId,
      name: "Overdue",
      kind: "webhook",
      url: "http://localhost:9/none",
      rules: RULES,
    });
    const jobsBefore = await h.db.execute<{ n: number }>(
      sql`select count(*)::int as n from pgboss.job where name = ${ALERT_QUEUE}`,
    );
    const rolledBack = h.db.transaction(async (tx) => {
      await raiseScheduleOverdue(tx, {
        boss: h.deps.boss,
        tenantId,
        scheduleId: randomUUID(),
        scheduleName: "Nightly",
      });
      throw new Error("the change that raised it failed");
    });
    await expect(rolledBack).rejects.toThrow("the change that raised it failed");
    expect(await deliveriesOf(h.db, channelId)).toEqual([]);
    const jobsAfter = await h.db.execute<{ n: number }>(
      sql`select count(*)::int as n from pgboss.job where name = ${ALERT_QUEUE}`,
    );
    expect(jobsAfter.rows[0]!.n).toBe(jobsBefore.rows[0]!.n);
  });
});

describe("each try's guards", () => {
  async function channelTo(url: string) {
    const { owner, tenantId } = await ownedTenant();
    const created = await createChannel(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId,
      name: "Guarded",
      kind: "webhook",
      url,
      rules: RULES,
    });
    return { owner, tenantId, channelId: created.id };
  }
  async function firstTry(channelId: string, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [attempt] = await h.db
        .select()
        .from(alertDeliveryAttempts)
        .where(eq(alertDeliveryAttempts.channelId, channelId))
        .orderBy(asc(alertDeliveryAttempts.attempt));
      if (attempt) return attempt;
      if (Date.now() > deadline) throw new Error(`no try of ${channelId} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it("alerts a run whose job could not be queued (a dispatch failure ends it at once)", async () => {
    const receiver = await startReceiver();
    const { owner, tenantId, channelId } = await channelTo(receiver.url);
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId,
      type: "test.unqueued",
      inputs: { key: randomUUID() },
    });
    expect(run).toMatchObject({ status: "completed", outcome: "failed" });
    const [delivery] = await untilSettled(h.db, channelId);
    expect(delivery).toMatchObject({ status: "delivered", eventType: "run.failed", runId: run.id });
    expect(JSON.parse(receiver.received[0]!.body).run.failures[0].code).toBe("dispatch_failed");
    await receiver.close();
  }, 60_000);

  it("checks the stored URL again at each try: an address that turned private is refused without a connection", async () => {
    const { owner, tenantId, channelId } = await channelTo("http://localhost:9/hook");
    // As if the stored URL pointed at the cloud metadata service (a value saved before a rule, or altered).
    await h.db
      .update(alertChannels)
      .set({ urlSealed: sealChannelUrl("https://169.254.169.254/latest/meta-data", encryptionKey, channelId) })
      .where(eq(alertChannels.id, channelId));
    await sendTestAlert(h.db, h.deps.boss, { actor: actor(owner), tenantId, channelId });
    const attempt = await firstTry(channelId);
    expect(attempt).toMatchObject({ ok: false, statusCode: null });
    expect(attempt.error).toMatch(/private or reserved address \(169\.254\.169\.254\)/);
  }, 60_000);

  it("gives up at once on a channel whose secrets no longer open, instead of retrying it", async () => {
    const { owner, tenantId, channelId } = await channelTo("http://localhost:9/hook");
    // As after ENCRYPTION_KEY changed: the stored URL was sealed with another key.
    await h.db
      .update(alertChannels)
      .set({ urlSealed: sealChannelUrl("https://hooks.example.com/x", Buffer.alloc(32, 9), channelId) })
      .where(eq(alertChannels.id, channelId));
    await sendTestAlert(h.db, h.deps.boss, { actor: actor(owner), tenantId, channelId });
    const [delivery] = await untilSettled(h.db, channelId);
    expect(delivery).toMatchObject({ status: "failed", attempts: 1 });
    const attempt = await firstTry(channelId);
    expect(attempt).toMatchObject({ ok: false, nextRetryAt: null });
    expect(attempt.error).toMatch(/could not be read: enter its URL again/);
  }, 60_000);

  it("sends one test per channel per interval, even for two clicks at once", async () => {
    const { owner, tenantId, channelId } = await channelTo("http://localhost:9/hook");
    const click = () => sendTestAlert(h.db, h.deps.boss, { actor: actor(owner), tenantId, channelId });
    const results = await Promise.allSettled([click(), click(), click()]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected"))
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(InputError);
    await expect(click()).rejects.toThrow(/less than 10 seconds ago/);
    const deliveries = await h.db.select().from(alertDeliveries).where(eq(alertDeliveries.channelId, channelId));
    expect(deliveries).toHaveLength(1);
  }, 60_000);

  it("does not follow a redirect, and gives up on a receiver that does not answer within the timeout", async () => {
    const redirecting = await startReceiver(() => 302);
    const hanging = await startReceiver(() => "hang");
    const redirect = await channelTo(redirecting.url);
    const slow = await channelTo(hanging.url);
    await sendTestAlert(h.db, h.deps.boss, {
      actor: actor(redirect.owner),
      tenantId: redirect.tenantId,
      channelId: redirect.channelId,
    });
    await sendTestAlert(h.db, h.deps.boss, {
      actor: actor(slow.owner),
      tenantId: slow.tenantId,
      channelId: slow.channelId,
    });

    const redirected = await firstTry(redirect.channelId);
    expect(redirected).toMatchObject({ ok: false, statusCode: 302 });
    expect(redirected.error).toMatch(/redirects are not followed/);
    expect(redirecting.received).toHaveLength(1);

    // The harness's timeout is 5 s: the try ends then, as a failure with its reason.
    const timedOut = await firstTry(slow.channelId);
    expect(timedOut).toMatchObject({ ok: false, statusCode: null });
    expect(timedOut.error).toBe("No answer within 5 s.");
    expect(timedOut.latencyMs).toBeGreaterThanOrEqual(4_900);
    await redirecting.close();
    await hanging.close();
  }, 60_000);
});
