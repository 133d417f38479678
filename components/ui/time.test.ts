import { describe, expect, it } from "vitest";
import { formatDuration, formatTime } from "./time";

describe("formatDuration", () => {
  it("shows a dash for a duration that is unknown or negative (clock skew)", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(undefined)).toBe("—");
    expect(formatDuration(-1)).toBe("—");
  });

  it("counts whole milliseconds under a second", () => {
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(12.4)).toBe("12 ms");
    expect(formatDuration(999)).toBe("999 ms");
  });

  it("shows seconds with one decimal under a minute", () => {
    expect(formatDuration(1000)).toBe("1.0 s");
    expect(formatDuration(1_540)).toBe("1.5 s");
    expect(formatDuration(59_000)).toBe("59.0 s");
  });

  it("shows whole minutes and rounded seconds from a minute on, without hours", () => {
    expect(formatDuration(60_000)).toBe("1 min 0 s");
    expect(formatDuration(61_600)).toBe("1 min 2 s");
    expect(formatDuration(3_725_000)).toBe("62 min 5 s");
  });

  it("carries a rounded-up second into the next unit instead of showing 60", () => {
    expect(formatDuration(59_960)).toBe("1 min 0 s");
    expect(formatDuration(119_600)).toBe("2 min 0 s");
  });
});

describe("formatTime", () => {
  it("writes the instant in UTC to the second, the same for every viewer", () => {
    expect(formatTime(new Date("2025-03-04T05:06:07.890+02:00"))).toBe("2025-03-04 03:06:07 UTC");
  });

  it("shows a dash for no time", () => {
    expect(formatTime(null)).toBe("—");
    expect(formatTime(undefined)).toBe("—");
  });
});
