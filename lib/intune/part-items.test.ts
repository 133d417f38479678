import { describe, expect, it } from "vitest";
import { normalizePolicy } from "@/lib/drift/normalize";
import { navigationPart, partChanges, partItemBody } from "./part-items";

const part = navigationPart("notification_message_template")!;
const message = (id: string, locale: string, subject: string, isDefault = false) => ({
  "@odata.type": "#microsoft.graph.localizedNotificationMessage",
  id,
  lastModifiedDateTime: "2024-02-01T00:00:00Z",
  locale,
  subject,
  messageTemplate: `Text ${locale}`,
  isDefault,
});

describe("items of a part set through their own navigation (a template's localized messages)", () => {
  it("only the notification template's part is one", () => {
    expect(part).toMatchObject({ property: "localizedNotificationMessages", key: "locale" });
    expect(navigationPart("administrative_template")).toBeUndefined();
  });

  it("sends an item's writable properties only, and isDefault only when it is set", () => {
    expect(partItemBody(part, message("m1", "en-us", "Notice", true))).toEqual({
      "@odata.type": "#microsoft.graph.localizedNotificationMessage",
      locale: "en-us",
      subject: "Notice",
      messageTemplate: "Text en-us",
      isDefault: true,
    });
    expect(partItemBody(part, message("m2", "de-de", "Hinweis"))).not.toHaveProperty("isDefault");
  });

  it("a restore creates what is missing by locale (the default first) and corrects what differs; Revert also deletes", () => {
    const wanted = [
      message("a", "de-de", "Hinweis"),
      message("b", "en-us", "Notice", true),
      message("c", "fr-fr", "Avis"),
    ];
    const current = [message("x", "DE-DE", "Hinweis geändert"), message("y", "it-it", "Avviso")];
    const restore = partChanges(part, { wanted, current, exact: false });
    expect(restore.create.map((m) => m.locale)).toEqual(["en-us", "fr-fr"]);
    expect(restore.update).toEqual([{ id: "x", body: partItemBody(part, wanted[0]!) }]);
    expect(restore.remove).toEqual([]);
    expect(partChanges(part, { wanted, current, exact: true }).remove).toEqual(["y"]);
    // A retry after every write: nothing left to send, whatever ids and times Graph gave them.
    const done = wanted.map((m, i) => ({ ...m, id: `new-${i}`, lastModifiedDateTime: "2025-01-01T00:00:00Z" }));
    expect(partChanges(part, { wanted, current: done, exact: true })).toEqual({ create: [], update: [], remove: [] });
  });

  it("drift compares messages by locale, not by id or time, and finds a changed text", () => {
    const content = (messages: Record<string, unknown>[]) => ({
      "@odata.type": "#microsoft.graph.notificationMessageTemplate",
      displayName: "First notice",
      localizedNotificationMessages: messages,
      assignments: [],
    });
    const baseline = normalizePolicy("notification_message_template", content([message("a", "en-us", "Notice", true)]));
    const reread = normalizePolicy(
      "notification_message_template",
      content([{ ...message("z", "en-us", "Notice", true), lastModifiedDateTime: "2026-01-01T00:00:00Z" }]),
    );
    expect([...reread]).toEqual([...baseline]);
    const changed = normalizePolicy("notification_message_template", content([message("a", "en-us", "Changed", true)]));
    expect(changed.get("part:en-us")!.value).toContain("Changed");
    expect(baseline.get("part:en-us")!.label).toBe("localizedNotificationMessages (locale en-us)");
    expect(baseline.has("property:localizedNotificationMessages")).toBe(false);
  });
});
