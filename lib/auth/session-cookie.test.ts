import { describe, expect, it } from "vitest";
import { hasSessionCookie } from "./session-cookie";

describe("hasSessionCookie", () => {
  it("sees a whole session cookie, over http and over https", () => {
    expect(hasSessionCookie(["next-auth.session-token"])).toBe(true);
    expect(hasSessionCookie(["theme", "__Secure-next-auth.session-token"])).toBe(true);
  });

  it("sees a session next-auth split into chunks", () => {
    expect(hasSessionCookie(["next-auth.session-token.0", "next-auth.session-token.1"])).toBe(true);
    expect(hasSessionCookie(["__Secure-next-auth.session-token.0"])).toBe(true);
  });

  it("does not take other cookies for a session", () => {
    expect(hasSessionCookie([])).toBe(false);
    expect(hasSessionCookie(["next-auth.csrf-token", "next-auth.callback-url"])).toBe(false);
    expect(hasSessionCookie(["next-auth.session-token.x", "next-auth.session-tokenX"])).toBe(false);
  });
});
