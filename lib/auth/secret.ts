import "server-only";
import { env } from "@/lib/env";

/** The key next-auth seals sessions with; also signs the console's own short-lived auth cookies. */
export function sessionSecret(): string {
  const value = env().NEXTAUTH_SECRET;
  if (!value) throw new Error("NEXTAUTH_SECRET is not set");
  return value;
}
