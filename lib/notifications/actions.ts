"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { defineAction } from "@/lib/safe-action";
import { markRead } from "./queries";

/** Marks the user's own notification read (or, with no id, all of them); the bell re-renders. */
const mark = defineAction(
  { input: z.object({ notificationId: z.uuid().optional() }), invalid: "This notification cannot be marked here." },
  async ({ notificationId }, { user }) => {
    await markRead(getDb(), user.id, notificationId);
    revalidatePath("/", "layout");
    return undefined;
  },
);

export async function markNotificationReadAction(notificationId: string): Promise<void> {
  await mark({ notificationId });
}

export async function markAllNotificationsReadAction(): Promise<void> {
  await mark({});
}
