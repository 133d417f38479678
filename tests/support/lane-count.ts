/**
 * Integration files that run at once, each on a lane of its own (./lanes.ts). Most of a file's time
 * is spent waiting (retry pauses, fault windows, worker hand-offs), so more lanes than cores pay;
 * TEST_LANES=1 runs the files one at a time, as before lanes.
 */
export const TEST_LANES = Math.max(1, Math.trunc(Number(process.env.TEST_LANES)) || 3);
