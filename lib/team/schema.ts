import { z } from "zod";
import { membershipRole } from "@/db/schema/enums";

export const roleSchema = z.enum(membershipRole.enumValues, { error: "Choose owner, operator or viewer." });
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter an email address." }));
/** base64url of 32 bytes is 43 characters; anything else cannot be a link we made. */
export const inviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
// Long enough to resist guessing behind the sign-in limits; the upper bound keeps scrypt's input sane.
export const newPasswordSchema = z
  .string()
  .min(12, { error: "Use at least 12 characters." })
  .max(200, { error: "Use at most 200 characters." });
export const nameSchema = z.string().trim().min(1, { error: "Enter your name." }).max(200);
