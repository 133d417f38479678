import type { Context, Hono } from "hono";
import metadata from "@/lib/graph/writable-properties.generated.json";
import type { EmulatorEnv, EmulatorState } from "./app";
import { seededGuid } from "./directory";
import { graphError } from "./graph-errors";
import type { EmulatedPolicy } from "./intune";
import { paged } from "./routes-intune";

/**
 * Notification message templates (`deviceManagement/notificationMessageTemplates`, v1.0 and beta)
 * and their localized messages, as Microsoft's reference describes them
 * (intune-notification-notificationmessagetemplate, -localizednotificationmessage): a template holds
 * its name, description, default locale, branding and scope tags; each message (locale, subject,
 * messageTemplate, isDefault) is an entity of the template's `localizedNotificationMessages`,
 * listed, created (POST, 201), updated (PATCH) and deleted on its own, and returned with the template
 * only when expanded. `isDefault` "can only be set. To unset, set this property to true on another
 * Localized Notification Message". `sendTestMessage` answers 204 without a body. Templates are not
 * assigned: they have no `assignments` nor `/assign` (the resource lists neither).
 *
 * Ids are each tenant's own; the names are the same in every demo tenant, as an organisation's
 * tenants tend to carry the same notices, so a cross-tenant restore can find its namesake.
 */
export type EmulatedMessage = {
  id: string;
  lastModifiedDateTime: string;
  locale: string;
  subject: string;
  messageTemplate: string;
  isDefault: boolean;
};

/** Messages a page: the emulator's choice (Microsoft publishes none). */
const MESSAGES_PAGE = 10;
const NAMES = [
  "Non-compliance: first notice",
  "Non-compliance: final warning",
  "Access will be blocked",
  "Update your operating system",
  "Encrypt your device",
  "Device will be retired",
] as const;
const LOCALES = [
  "en-us",
  "de-de",
  "fr-fr",
  "es-es",
  "it-it",
  "nl-nl",
  "pt-br",
  "ja-jp",
  "ko-kr",
  "zh-cn",
  "sv-se",
  "pl-pl",
] as const;
const BRANDING = ["includeCompanyLogo", "includeCompanyLogo,includeCompanyName", "none"] as const;
export const MESSAGE_TYPE = "#microsoft.graph.localizedNotificationMessage";

/** The name of the `i`th template of every tenant. */
export const notificationTemplateName = (i: number) =>
  i < NAMES.length ? NAMES[i]! : `${NAMES[i % NAMES.length]} (${Math.floor(i / NAMES.length) + 1})`;

/**
 * `count` templates of one tenant: the first with every locale (12 messages, past a page), the others
 * with one to three.
 */
export function seedNotificationTemplates(
  seed: number,
  { tenantKey, count }: { tenantKey: string; count: number },
): EmulatedPolicy[] {
  const day = (i: number) => new Date(Date.UTC(2024, 1, 1) + i * 86_400_000).toISOString();
  return Array.from({ length: count }, (_, i) => {
    const id = seededGuid(seed, `ntf:${tenantKey}:${i}`);
    const locales = LOCALES.slice(0, i === 0 ? LOCALES.length : 1 + (i % 3));
    return {
      family: "notificationMessageTemplates",
      body: {
        "@odata.type": "#microsoft.graph.notificationMessageTemplate",
        id,
        lastModifiedDateTime: day(i),
        displayName: notificationTemplateName(i),
        description: i % 2 ? null : "Sent to users whose device is not compliant.",
        defaultLocale: "en-us",
        brandingOptions: BRANDING[i % BRANDING.length],
        roleScopeTagIds: ["0"],
      },
      settings: [],
      assignments: [],
      localizedNotificationMessages: locales.map((locale, k) => ({
        id: seededGuid(seed, `ntf-msg:${tenantKey}:${i}:${locale}`),
        lastModifiedDateTime: day(i),
        locale,
        subject: `[${locale}] ${notificationTemplateName(i)}`,
        messageTemplate: `(${locale}) Your device {DeviceName} does not meet your organisation's policy. Notice ${i + 1}.`,
        isDefault: k === 0,
      })),
    };
  });
}

const messageView = (m: EmulatedMessage) => ({ "@odata.type": MESSAGE_TYPE, ...m });

/** The expanded `localizedNotificationMessages` of a template, when asked for. */
export function expandedMessages(policy: EmulatedPolicy, { expand, context }: { expand?: string; context: string }) {
  const asked = (expand ?? "").split(",").some((e) => e.trim() === "localizedNotificationMessages");
  if (!asked) return {};
  return {
    "localizedNotificationMessages@odata.context": `${context}/localizedNotificationMessages`,
    localizedNotificationMessages: (policy.localizedNotificationMessages ?? []).map(messageView),
  };
}

type GraphType = { writable: string[]; readOnly: string[]; navigation: string[] };
const MESSAGE: GraphType = (metadata.types as Record<string, GraphType>)[MESSAGE_TYPE]!;

/** Why Graph would refuse this message body (create or update): properties of the metadata only, writable ones only. */
function messageProblem(body: Record<string, unknown>, verb: "create" | "update"): string | undefined {
  for (const key of Object.keys(body)) {
    if (key === "@odata.type") {
      if (body[key] !== MESSAGE_TYPE)
        return `An entry with type '${String(body[key])}' was found, but it is not assignable.`;
      continue;
    }
    if (MESSAGE.writable.includes(key)) continue;
    if (MESSAGE.readOnly.includes(key)) return `${key[0]!.toUpperCase()}${key.slice(1)} invalid for ${verb}.`;
    return `The property '${key}' does not exist on type 'microsoft.graph.localizedNotificationMessage'.`;
  }
  return undefined;
}

export function registerNotificationRoutes(app: Hono<EmulatorEnv>, state: EmulatorState) {
  const template = (c: Context<EmulatorEnv>): EmulatedPolicy | undefined => {
    const policy = state.policies.get(c.get("tenant").tenantId)!.get(c.req.param("id")!);
    return policy?.family === "notificationMessageTemplates" ? policy : undefined;
  };
  const notFound = (c: Context<EmulatorEnv>) =>
    graphError(c, 404, "ResourceNotFound", `{"_version": 3, "Message": "Resource not found"}`);
  const readBody = async (c: Context<EmulatorEnv>) => {
    const body = (await c.req.json().catch(() => null)) as unknown;
    return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  };
  /** Setting one message as the default unsets it on the others. */
  const makeDefault = (policy: EmulatedPolicy, id: string) => {
    for (const m of policy.localizedNotificationMessages ?? []) m.isDefault = m.id === id;
  };

  for (const version of ["v1.0", "beta"] as const) {
    const base = `/${version}/deviceManagement/notificationMessageTemplates/:id`;
    const context = (c: Context<EmulatorEnv>, policy: EmulatedPolicy) =>
      `/${version}/$metadata#deviceManagement/notificationMessageTemplates('${policy.body.id}')/localizedNotificationMessages`;

    app.get(`${base}/localizedNotificationMessages`, (c) => {
      const policy = template(c);
      if (!policy) return notFound(c);
      return paged(c, (policy.localizedNotificationMessages ?? []).map(messageView), MESSAGES_PAGE, context(c, policy));
    });
    app.get(`${base}/localizedNotificationMessages/:messageId`, (c) => {
      const message = template(c)?.localizedNotificationMessages?.find((m) => m.id === c.req.param("messageId"));
      return message
        ? c.json({
            "@odata.context": `${new URL(c.req.url).origin}/${version}/$metadata#deviceManagement/notificationMessageTemplates('${c.req.param("id")}')/localizedNotificationMessages/$entity`,
            ...messageView(message),
          })
        : notFound(c);
    });
    app.post(`${base}/localizedNotificationMessages`, async (c) => {
      const policy = template(c);
      if (!policy) return notFound(c);
      const body = await readBody(c);
      if (!body) return graphError(c, 400, "BadRequest", "The request body is not valid JSON.");
      const problem = messageProblem(body, "create");
      if (problem) return graphError(c, 400, "BadRequest", problem);
      if (typeof body.locale !== "string" || !body.locale)
        return graphError(c, 400, "BadRequest", "The 'locale' property is required.");
      const messages = (policy.localizedNotificationMessages ??= []);
      // One message a locale (the emulator's rule: Microsoft does not publish what a second one does).
      if (messages.some((m) => m.locale.toLowerCase() === String(body.locale).toLowerCase()))
        return graphError(c, 400, "BadRequest", `A message for locale '${body.locale}' already exists.`);
      const created: EmulatedMessage = {
        id: crypto.randomUUID(),
        lastModifiedDateTime: new Date().toISOString(),
        locale: body.locale,
        subject: String(body.subject ?? ""),
        messageTemplate: String(body.messageTemplate ?? ""),
        isDefault: false,
      };
      messages.push(created);
      if (body.isDefault === true) makeDefault(policy, created.id);
      return c.json(
        { "@odata.context": `${new URL(c.req.url).origin}${context(c, policy)}/$entity`, ...messageView(created) },
        201,
      );
    });
    app.patch(`${base}/localizedNotificationMessages/:messageId`, async (c) => {
      const policy = template(c);
      const message = policy?.localizedNotificationMessages?.find((m) => m.id === c.req.param("messageId"));
      if (!policy || !message) return notFound(c);
      const body = await readBody(c);
      if (!body) return graphError(c, 400, "BadRequest", "The request body is not valid JSON.");
      const problem = messageProblem(body, "update");
      if (problem) return graphError(c, 400, "BadRequest", problem);
      if (body.isDefault === false && message.isDefault)
        return graphError(
          c,
          400,
          "BadRequest",
          "isDefault can only be set: set it to true on another localized message to unset it here.",
        );
      for (const key of ["locale", "subject", "messageTemplate"] as const)
        if (typeof body[key] === "string") message[key] = body[key] as string;
      if (body.isDefault === true) makeDefault(policy, message.id);
      message.lastModifiedDateTime = new Date().toISOString();
      // "200 OK response code and an updated localizedNotificationMessage object" (update page).
      return c.json(messageView(message), 200);
    });
    app.delete(`${base}/localizedNotificationMessages/:messageId`, (c) => {
      const policy = template(c);
      const before = policy?.localizedNotificationMessages?.length;
      if (!policy || !before) return notFound(c);
      policy.localizedNotificationMessages = policy.localizedNotificationMessages!.filter(
        (m) => m.id !== c.req.param("messageId"),
      );
      return policy.localizedNotificationMessages.length === before ? notFound(c) : c.body(null, 204);
    });
    // Sends a test message in the default locale: no body in, none out.
    app.post(`${base}/sendTestMessage`, (c) => (template(c) ? c.body(null, 204) : notFound(c)));
    // A template is deleted with its messages.
    app.delete(base, (c) => {
      const policy = template(c);
      if (!policy) return notFound(c);
      state.policies.get(c.get("tenant").tenantId)!.delete(policy.body.id);
      return c.body(null, 204);
    });
  }
}
