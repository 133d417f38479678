import { describe, expect, it } from "vitest";
import { signatureHeader, verifySignature } from "./signature";
import { addressAllowed, checkTargetUrl } from "./target";

describe("addressAllowed", () => {
  it.each([
    ["10.1.2.3"],
    ["172.16.0.1"],
    ["192.168.0.1"],
    ["127.0.0.1"],
    ["169.254.169.254"],
    ["100.64.0.1"],
    ["0.0.0.0"],
    ["::1"],
    ["::"],
    ["fe80::1"],
    ["fd12:3456::1"],
    ["::ffff:10.0.0.1"],
    ["::ffff:127.0.0.1"],
  ])("refuses %s for a public host name", (address) => {
    expect(addressAllowed("hooks.example.com", address)).toBe(false);
  });

  it.each([["93.184.215.14"], ["2606:4700::6810:85e5"], ["::ffff:93.184.215.14"]])("allows public %s", (address) => {
    expect(addressAllowed("hooks.example.com", address)).toBe(true);
  });

  it("lets localhost be only loopback", () => {
    expect(addressAllowed("localhost", "127.0.0.1")).toBe(true);
    expect(addressAllowed("localhost", "::1")).toBe(true);
    expect(addressAllowed("localhost", "10.0.0.1")).toBe(false);
    expect(addressAllowed("localhost", "93.184.215.14")).toBe(false);
  });
});

describe("this machine, in production", () => {
  it("is refused unless ALERT_ALLOW_LOCALHOST=true", () => {
    const saved = { allow: process.env.ALERT_ALLOW_LOCALHOST, mode: process.env.NODE_ENV };
    const set = (name: string, value: string | undefined) => {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    };
    try {
      set("NODE_ENV", "production");
      set("ALERT_ALLOW_LOCALHOST", undefined);
      expect(() => checkTargetUrl("http://localhost:3000/api/x")).toThrow(/https/);
      expect(() => checkTargetUrl("https://127.0.0.1:3000/api/x")).toThrow(/private or reserved/);
      expect(addressAllowed("localhost", "127.0.0.1")).toBe(false);
      set("ALERT_ALLOW_LOCALHOST", "true");
      expect(checkTargetUrl("http://localhost:3000/api/x").host).toBe("localhost:3000");
      expect(addressAllowed("localhost", "127.0.0.1")).toBe(true);
    } finally {
      set("ALERT_ALLOW_LOCALHOST", saved.allow);
      set("NODE_ENV", saved.mode);
    }
  });
});

describe("checkTargetUrl", () => {
  it("takes https anywhere public and http only on loopback", () => {
    expect(checkTargetUrl("https://hooks.slack.com/services/T/B/X").host).toBe("hooks.slack.com");
    expect(checkTargetUrl("http://localhost:8080/x").host).toBe("localhost:8080");
    expect(checkTargetUrl("http://[::1]:8080/x").hostname).toBe("[::1]");
    expect(() => checkTargetUrl("http://hooks.example.com/x")).toThrow(/https/);
    expect(() => checkTargetUrl("https://0xa000001/x")).toThrow(/private or reserved/);
    expect(() => checkTargetUrl(`https://example.com/${"a".repeat(2100)}`)).toThrow(/longer/);
  });
});

describe("signatures", () => {
  const secret = "tas_test";
  const body = '{"id":"d1","type":"run.failed"}';

  it("verifies its own header within the window and nothing else", () => {
    const header = signatureHeader(secret, body, 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, { header, body, now: 1_700_000_100 })).toBe(true);
    expect(verifySignature("tas_other", { header, body, now: 1_700_000_100 })).toBe(false);
    expect(verifySignature(secret, { header, body: `${body} `, now: 1_700_000_100 })).toBe(false);
    // A replay outside the window, or a timestamp moved (it is inside the MAC), fails.
    expect(verifySignature(secret, { header, body, now: 1_700_000_301 })).toBe(false);
    expect(
      verifySignature(secret, { header: header.replace("t=1700000000", "t=1700000100"), body, now: 1_700_000_100 }),
    ).toBe(false);
    expect(verifySignature(secret, { header: "t=1,v1=zz", body, now: 1 })).toBe(false);
    expect(verifySignature(secret, { header: undefined, body })).toBe(false);
  });
});
