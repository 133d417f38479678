import { describe, expect, it, vi } from "vitest";
import { ForbiddenError, InputError, InvalidInputsError, NotFoundError } from "./errors";
import { actionFailure, field, fields } from "./safe-action";

describe("actionFailure", () => {
  it("passes domain messages through, with the fields they name", () => {
    expect(actionFailure(new NotFoundError("run"))).toEqual({
      error: "The run was not found.",
      fieldErrors: undefined,
    });
    expect(actionFailure(new ForbiddenError())).toEqual({
      error: "You do not have permission to do that.",
      fieldErrors: undefined,
    });
    expect(actionFailure(new InvalidInputsError({ policyIds: ["Choose at least one policy"] }))).toEqual({
      error: "The operation inputs are not valid.",
      fieldErrors: { policyIds: ["Choose at least one policy"] },
    });
  });

  it("never shows an unexpected error's text (it may hold SQL or secrets)", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(actionFailure(new Error('relation "secrets" violates constraint, key=hunter2'))).toEqual({
      error: "Something went wrong on the server. Please try again.",
      fieldErrors: undefined,
    });
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });

  it("lets a form phrase a refusal by error class, not by the wording of its message", () => {
    const refuse = (err: unknown) => (err instanceof InvalidInputsError ? "Pick a policy." : undefined);
    expect(actionFailure(new InvalidInputsError({ policyIds: ["x"] }), refuse).error).toBe("Pick a policy.");
    // Same wording, other class: not this form's refusal.
    expect(actionFailure(new InputError("The operation inputs are not valid."), refuse).error).toBe(
      "The operation inputs are not valid.",
    );
  });
});

describe("form fields", () => {
  it("reads strings only, so a file upload cannot stand in for a value", () => {
    const form = new FormData();
    form.append("name", "a");
    form.append("many", "1");
    form.append("many", new Blob(["x"]));
    form.append("many", "2");
    expect(field(form, "name")).toBe("a");
    expect(field(form, "missing")).toBe("");
    expect(fields(form, "many")).toEqual(["1", "2"]);
  });
});
