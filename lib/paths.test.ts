import { describe, expect, it } from "vitest";
import { paths, withQuery } from "./paths";

describe("withQuery", () => {
  it("leaves out empty values and repeats arrays", () => {
    expect(withQuery("/x", { a: "1", b: undefined, c: null, d: "", e: ["p", "q"], f: 0 })).toBe("/x?a=1&e=p&e=q&f=0");
    expect(withQuery("/x", {})).toBe("/x");
    expect(withQuery("/x")).toBe("/x");
  });

  it("encodes what it is given, so a value cannot add a parameter of its own", () => {
    expect(withQuery("/x", { q: "a&b=c #d" })).toBe("/x?q=a%26b%3Dc+%23d");
  });
});

describe("paths", () => {
  const tenant = "0b0b0b0b-0000-4000-8000-000000000001";
  it("builds every tenant route under /t/<tenant>", () => {
    expect(paths.tenant(tenant)).toBe(`/t/${tenant}`);
    expect(paths.run(tenant, "r1")).toBe(`/t/${tenant}/operations/r1`);
    expect(paths.run(tenant, "r1", { joined: 1 })).toBe(`/t/${tenant}/operations/r1?joined=1`);
    expect(paths.policies(tenant, { page: 2, family: undefined })).toBe(`/t/${tenant}/policies?page=2`);
    expect(paths.newRestore(tenant, { item: ["a", "b"], step: "map" })).toBe(
      `/t/${tenant}/restores/new?item=a&item=b&step=map`,
    );
    expect(paths.intuneRoles(tenant)).toBe(`/t/${tenant}#intune-roles`);
  });

  it("keeps an id from escaping its path segment", () => {
    expect(paths.run("../../x", "a/b?c")).toBe("/t/..%2F..%2Fx/operations/a%2Fb%3Fc");
  });
});
