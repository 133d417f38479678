import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Initiator } from "./initiator";

describe("Initiator", () => {
  it("labels a run the console started, and leaves a person's name alone", () => {
    expect(renderToStaticMarkup(<Initiator name="TenantAtlas" kind="system" />)).toMatch(
      /TenantAtlas<span[^>]*>System<\/span>/,
    );
    expect(renderToStaticMarkup(<Initiator name="Nightly" kind="schedule" />)).toContain(">Schedule</span>");
    expect(renderToStaticMarkup(<Initiator name="Alex" kind="user" />)).not.toContain("<span class");
  });
});
