"use server";

import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";

/**
 * The floor of BENCH=http's start surface: the same session check as every action (the user re-read
 * from the database), then a redirect to the floor page, and nothing else. Not called by the console.
 */
export async function floorAction(): Promise<void> {
  await requireUser();
  redirect("/internal/floor");
}
