"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { operations } from "@/lib/operations/registry";
import { operationDeps, producer } from "@/lib/operations/runtime";
import { paths } from "@/lib/paths";
import { type ActionState, defineAction, field } from "@/lib/safe-action";
import { createSchedule, deleteSchedule, runScheduleNow, setSchedulePaused, updateSchedule } from "./service";

// Authorization and validation live in ./service (requireTenantAccess, the schedule schema); these
// only read the form and hand over.

export type ScheduleFormState = ActionState<{ ok?: true }>;
const ids = z.object({ tenantId: z.uuid(), scheduleId: z.uuid() });

/** The form's fields as the service's input (the service's schema judges them). */
function scheduleInput(form: FormData) {
  const frequency = field(form, "frequency");
  const recurrence =
    frequency === "cron"
      ? { kind: "cron", expression: field(form, "cron") }
      : frequency === "weekly"
        ? { kind: "weekly", weekday: field(form, "weekday"), time: field(form, "time") }
        : frequency === "daily"
          ? { kind: "daily", time: field(form, "time") }
          : { kind: frequency };
  return {
    name: field(form, "name"),
    operationType: field(form, "operationType"),
    recurrence,
    timezone: field(form, "timezone"),
    notify: field(form, "notify") || undefined,
  };
}

/** The web process's producer also writes pg-boss's schedule rows, in the change's transaction. */
async function scheduleDeps() {
  return { db: getDb(), boss: await producer(), registry: operations };
}

const create = defineAction(
  { input: z.object({ tenantId: z.uuid(), form: z.instanceof(FormData) }), invalid: "The form could not be read." },
  async ({ tenantId, form }, { actor }) => {
    await createSchedule(await scheduleDeps(), { actor, tenantId, input: scheduleInput(form) });
    revalidatePath(paths.schedules(tenantId));
    return { ok: true as const };
  },
);

const update = defineAction(
  { input: ids.extend({ form: z.instanceof(FormData) }), invalid: "The form could not be read." },
  async ({ tenantId, scheduleId, form }, { actor }) => {
    await updateSchedule(await scheduleDeps(), { actor, tenantId, scheduleId, input: scheduleInput(form) });
    revalidatePath(paths.schedules(tenantId));
    return { ok: true as const };
  },
);

const pause = defineAction(
  { input: ids.extend({ paused: z.boolean() }), invalid: "The schedule could not be read." },
  async (input, { actor }) => {
    await setSchedulePaused(await scheduleDeps(), { actor, ...input });
    revalidatePath(paths.schedules(input.tenantId));
    return { ok: true as const };
  },
);

const remove = defineAction({ input: ids, invalid: "The schedule could not be read." }, async (input, { actor }) => {
  await deleteSchedule(await scheduleDeps(), { actor, ...input });
  revalidatePath(paths.schedules(input.tenantId));
  return { ok: true as const };
});

const runNow = defineAction({ input: ids, invalid: "The schedule could not be read." }, async (input, { actor }) => {
  const { run, created } = await runScheduleNow(await operationDeps(), { actor, ...input });
  revalidatePath(paths.schedules(input.tenantId));
  return { runId: run.id, created, href: paths.run(input.tenantId, run.id) };
});

export async function createScheduleAction(tenantId: string, form: FormData): Promise<ScheduleFormState> {
  return create({ tenantId, form });
}
export async function updateScheduleAction(
  tenantId: string,
  scheduleId: string,
  form: FormData,
): Promise<ScheduleFormState> {
  return update({ tenantId, scheduleId, form });
}
export async function setSchedulePausedAction(input: { tenantId: string; scheduleId: string; paused: boolean }) {
  return pause(input);
}
export async function deleteScheduleAction(input: { tenantId: string; scheduleId: string }) {
  return remove(input);
}
export async function runScheduleNowAction(input: { tenantId: string; scheduleId: string }) {
  return runNow(input);
}
