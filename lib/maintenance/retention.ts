import { z } from "zod";

/**
 * How long the console keeps its own history: what one `maintenance.prune` run applies to a tenant.
 * The worker fills it from the RETAIN_* settings when the daily schedule fires; the run records it
 * as its inputs, so its page says which rules it applied.
 */
export const retentionSchema = z
  .object({
    /** Completed runs older than this many days go (restores and runs a backup refers to stay). */
    runDays: z.number().int().min(1).max(36_500),
    /** Read notifications older than this many days go. */
    readNotificationDays: z.number().int().min(1).max(36_500),
    /** Every notification older than this many days goes, read or not. */
    notificationDays: z.number().int().min(1).max(36_500),
    /** The newest versions kept per policy; older ones go unless a backup holds their content. */
    policyVersionsKept: z.number().int().min(1).max(100_000),
  })
  .strict();

export type Retention = z.infer<typeof retentionSchema>;
