import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { supervise } from "./supervise";

const node = (code: string) => () => spawn(process.execPath, ["-e", code], { stdio: "ignore" });
const until = async (check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("supervise", () => {
  it("starts a killed child again, with a backoff that doubles", async () => {
    const lines: string[] = [];
    const worker = supervise({
      name: "worker",
      spawn: node("setInterval(() => {}, 1000)"),
      log: (line) => lines.push(line),
      initialDelayMs: 50,
    });
    const first = worker.current;
    await until(() => first.pid !== undefined);
    first.kill("SIGKILL");
    await until(() => worker.restarts === 1);
    expect(worker.current.pid).not.toBe(first.pid);
    worker.current.kill("SIGKILL");
    await until(() => worker.restarts === 2);
    expect(lines).toEqual([
      "worker exited unexpectedly (SIGKILL); restarting in 0 s.",
      "worker exited unexpectedly (SIGKILL); restarting in 0 s.",
    ]);
    const last = worker.current;
    await worker.stop();
    expect(last.signalCode).toBe("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    expect(worker.restarts).toBe(2);
  });

  it("does not spin on a child that cannot start: the delay grows to its ceiling", async () => {
    const lines: string[] = [];
    const broken = supervise({
      name: "broken",
      spawn: node("process.exit(3)"),
      log: (line) => lines.push(line),
      initialDelayMs: 1_000,
      maxDelayMs: 2_000,
    });
    await until(() => lines.length === 2, 15_000);
    await broken.stop();
    expect(lines).toEqual([
      "broken exited unexpectedly (code 3); restarting in 1 s.",
      "broken exited unexpectedly (code 3); restarting in 2 s.",
    ]);
  });
});
