import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertDeliveries, alertDeliveryAttempts } from "@/db/schema";
import { createChannel } from "@/lib/alerts/channels";
import { DELIVERY_HEADER } from "@/lib/alerts/signature";
import { startOperation } from "@/lib/operations/start";
import { startReceiver } from "./support/alert-receiver";
import { actor, createTestTenant, createUser, encryptionKey, openHarness, waitForCompletion } from "./support/harness";
import { killHard, startWorkerProcess } from "./support/worker-process-control";

// The delivery of an alert is a pg-boss job committed with the run's completion: a worker killed
// (SIGKILL) after the run completed, while it is sending the alert, loses nothing.
let h: Awaited<ReturnType<typeof openHarness>>;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

describe("a worker killed between a run's completion and its alert", () => {
  it("still delivers the alert, from another worker, once", async () => {
    // The first POST is held open (the doomed worker is mid-delivery when it dies); later ones succeed.
    const receiver = await startReceiver((_, index) => (index === 0 ? "hang" : 200));
    const owner = await createUser(h.db, "Owner");
    const tenant = await createTestTenant(h.db, owner.id);
    const { id: channelId } = await createChannel(h.db, encryptionKey, {
      actor: actor(owner),
      tenantId: tenant.id,
      name: "Ops",
      kind: "webhook",
      url: receiver.url,
      rules: {
        runFailed: true,
        runPartiallySucceeded: false,
        operationTypes: [],
        driftDetected: false,
        scheduleOverdue: false,
      },
    });

    const doomed = await startWorkerProcess();
    const { run } = await startOperation(h.deps, {
      actor: actor(owner),
      tenantId: tenant.id,
      type: "test.fatal",
      inputs: { key: randomUUID() },
    });
    await receiver.until(1);
    expect((await waitForCompletion(h.db, run.id)).outcome).toBe("failed");
    await killHard(doomed);
    const [pending] = await h.db.select().from(alertDeliveries).where(eq(alertDeliveries.channelId, channelId));
    expect(pending).toMatchObject({ status: "pending", attempts: 0 });

    const survivor = await h.startWorker();
    const [, second] = await receiver.until(2);
    const deadline = Date.now() + 60_000;
    let delivery = pending!;
    while (delivery.status === "pending" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      delivery = (await h.db.select().from(alertDeliveries).where(eq(alertDeliveries.id, pending!.id)))[0]!;
    }
    await survivor.stop();
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1 });
    expect(second!.headers[DELIVERY_HEADER]).toBe(pending!.id);
    // The lost try left no record (nobody saw its answer); the survivor's is the one on record.
    const tries = await h.db
      .select()
      .from(alertDeliveryAttempts)
      .where(eq(alertDeliveryAttempts.deliveryId, pending!.id));
    expect(tries.map((t) => [t.attempt, t.ok])).toEqual([[1, true]]);
    expect(receiver.received).toHaveLength(2);
    await receiver.close();
  }, 120_000);
});
