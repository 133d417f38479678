import { describe, expect, it } from "vitest";
import { lineFormatter } from "./log-format";

describe("lineFormatter", () => {
  it("formats pino JSON lines, passes other lines through, and holds a partial line until it ends", () => {
    const format = lineFormatter({ colorize: false });
    const json = JSON.stringify({
      level: 30,
      time: "2026-11-28T21:30:00.000Z",
      pid: 1,
      component: "worker",
      runId: "r1",
      msg: "run completed",
    });
    const out = format(`${json}\n▲ Next.js 16\n{"level":40,"time":"2026-11-28T21:30:00.000Z","msg":"par`);
    const [first, second] = out.split("\n");
    expect(first).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: \[worker\] run completed \{"runId":"r1"\}$/);
    expect(second).toBe("▲ Next.js 16");
    expect(format('tial"}\n')).toMatch(/WARN: partial/);
    expect(format("{not json\n")).toBe("{not json\n");
  });
});
