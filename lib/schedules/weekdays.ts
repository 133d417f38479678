/** Weekdays as cron numbers them (0 = Sunday); shared by the form and the descriptions. */
export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
