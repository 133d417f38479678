import type { StartEnv } from "@/lib/env";

/**
 * Whether `npm start` seeds the demo operator: as SEED_DEMO says, else only when it runs its own
 * embedded database. A database the user supplied may be a real deployment's, where an account with
 * a printed password would be a way in that nobody asked for.
 */
export const demoSeedWanted = (given: Pick<StartEnv, "SEED_DEMO" | "DATABASE_URL">): boolean =>
  given.SEED_DEMO ?? !given.DATABASE_URL;
