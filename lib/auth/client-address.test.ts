import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

describe("clientAddress", () => {
  it("takes the socket address next start wrote when nothing is in front of it", () => {
    expect(clientAddress("203.0.113.7")).toBe("203.0.113.7");
  });

  it("takes the entry the nearest trusted proxy appended, not what the client wrote before it", () => {
    expect(clientAddress("1.1.1.1, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddress("1.1.1.1, 203.0.113.7, 10.0.0.2", 2)).toBe("203.0.113.7");
    expect(clientAddress(["1.1.1.1", "203.0.113.7"], 1)).toBe("203.0.113.7");
  });

  it("has no address when there is no header", () => {
    expect(clientAddress(undefined)).toBeUndefined();
    expect(clientAddress("")).toBeUndefined();
  });
});
