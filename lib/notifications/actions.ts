"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { markRead } from "./queries";

export async function markNotificationReadAction(notificationId: string) {
  const user = await requireUser();
  const id = z.uuid().safeParse(notificationId);
  if (!id.success) return;
  await markRead(getDb(), user.id, id.data);
  revalidatePath("/", "layout");
}

export async function markAllNotificationsReadAction() {
  const user = await requireUser();
  await markRead(getDb(), user.id);
  revalidatePath("/", "layout");
}
