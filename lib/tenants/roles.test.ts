import { describe, expect, it } from "vitest";
import { roleAtLeast, roleShortfall } from "./roles";

describe("roles", () => {
  it("orders viewer < operator < owner", () => {
    expect(roleAtLeast("owner", "operator")).toBe(true);
    expect(roleAtLeast("operator", "operator")).toBe(true);
    expect(roleAtLeast("viewer", "operator")).toBe(false);
    expect(roleAtLeast("operator", "owner")).toBe(false);
  });

  it("says what is missing in one wording, and nothing when the role suffices", () => {
    expect(roleShortfall("viewer", "operator", "Restoring")).toBe(
      "Restoring needs the operator role; you are a viewer.",
    );
    expect(roleShortfall("operator", "owner")).toBe("This needs the owner role; you are an operator.");
    expect(roleShortfall("owner", "operator")).toBeUndefined();
  });
});
