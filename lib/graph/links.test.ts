import { describe, expect, it } from "vitest";
import { storableGraphLink } from "./links";

describe("storableGraphLink", () => {
  it("keeps the version, path and query of an absolute link, not its host", () => {
    expect(storableGraphLink("https://localhost:4123/v1.0/groups/delta?$deltatoken=abc_-1")).toBe(
      "/v1.0/groups/delta?$deltatoken=abc_-1",
    );
    expect(storableGraphLink("https://graph.microsoft.us/v1.0/groups/delta?$deltatoken=x")).toBe(
      "/v1.0/groups/delta?$deltatoken=x",
    );
  });
  it("leaves a stored relative link as it is", () => {
    expect(storableGraphLink("/v1.0/groups/delta?$deltatoken=x")).toBe("/v1.0/groups/delta?$deltatoken=x");
  });
});
