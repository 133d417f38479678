import type { Context } from "hono";

/**
 * Intune's 400 for a request body naming a property its type does not define: code
 * `ModelValidationFailure`, the message repeated in `innerError`, the type named in Intune's own
 * namespace (`microsoft.management.services.api.…`). The shape is what Graph answered for unknown
 * properties on device configurations (microsoft/Intune-PowerShell-SDK issues #97 and #98); that
 * the RBAC service answers in the same shape is an assumption by analogy, not a documented fact.
 */
export function unknownPropertyError(c: Context, { property, type }: { property: string; type: string }) {
  const requestId = c.res.headers.get("request-id") ?? (c.get("requestId") as string);
  const message = `The property '${property}' does not exist on type 'microsoft.management.services.api.${type}'. Make sure to only use property names that are defined by the type.`;
  return c.json(
    {
      error: {
        code: "ModelValidationFailure",
        message,
        innerError: {
          message,
          date: new Date().toISOString().slice(0, 19),
          "request-id": requestId,
          "client-request-id": requestId,
        },
      },
    },
    400,
  );
}

/**
 * The first member of `body` its type does not define: neither one of `properties`, nor a
 * `nav@odata.bind` for one of `navigation`, nor an OData control annotation.
 */
export function unknownProperty(
  body: Record<string, unknown>,
  { properties, navigation }: { properties: readonly string[]; navigation: readonly string[] },
): string | undefined {
  return Object.keys(body).find((key) => {
    if (key.startsWith("@odata.")) return false;
    const bind = /^(.+)@odata\.bind$/.exec(key);
    if (bind) return !navigation.includes(bind[1]!);
    return !properties.includes(key);
  });
}
