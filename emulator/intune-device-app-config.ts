import type { Context, Hono } from "hono";
import type { EmulatorEnv, EmulatorState } from "./app";
import { seededGuid } from "./directory";
import { graphError } from "./graph-errors";
import type { EmulatedGroup } from "./groups";
import type { EmulatedPolicy } from "./intune";
import { assignmentsFor } from "./intune-assignments";
import { noSuchProperty } from "./odata-options";

/**
 * App configuration for managed devices (`/deviceAppManagement/mobileAppConfigurations`): iOS
 * configurations (iosMobileAppConfiguration: `settings` of appConfigurationSettingItem, or
 * `encodedSettingXml`, Edm.Binary) and Android Enterprise ones (androidManagedStoreAppConfiguration:
 * `packageId`, `payloadJson`, `permissionActions`, `profileApplicability`), shapes from the v1.0 CSDL
 * and the beta typings. `targetedMobileApps` holds ids of the tenant's own apps
 * (`/deviceAppManagement/mobileApps`, seeded here: each tenant's ids are its own).
 */
export type EmulatedMobileApp = Record<string, unknown> & { id: string; displayName: string };

/** A small app catalogue: what the seeded configurations target (ids differ per tenant, names do not). */
const CATALOGUE = [
  { type: "iosStoreApp", displayName: "Microsoft Outlook", bundleId: "com.microsoft.Office.Outlook" },
  { type: "iosVppApp", displayName: "Microsoft Teams", bundleId: "com.microsoft.skype.teams" },
  { type: "managedAndroidStoreApp", displayName: "Microsoft Outlook", packageId: "com.microsoft.office.outlook" },
  { type: "managedAndroidStoreApp", displayName: "Microsoft Edge", packageId: "com.microsoft.emmx" },
] as const;

export function seedMobileApps(seed: number, tenantKey: string): EmulatedMobileApp[] {
  return CATALOGUE.map(({ type, ...app }, n) => ({
    "@odata.type": `#microsoft.graph.${type}`,
    id: seededGuid(seed, `mobileapp:${tenantKey}:${n}`),
    ...app,
    description: `${app.displayName} for work`,
    publisher: "Microsoft Corporation",
    createdDateTime: new Date(Date.UTC(2023, 5, 1 + n)).toISOString(),
    lastModifiedDateTime: new Date(Date.UTC(2024, 0, 1 + n)).toISOString(),
    isFeatured: false,
    publishingState: "published",
    roleScopeTagIds: ["0"],
  }));
}

const iosApps = (apps: EmulatedMobileApp[]) => apps.filter((a) => String(a["@odata.type"]).includes(".ios"));
const androidApps = (apps: EmulatedMobileApp[]) => apps.filter((a) => String(a["@odata.type"]).includes("Android"));
const number = (i: number) => String(i + 1).padStart(3, "0");
const day = (i: number) => new Date(Date.UTC(2024, 4, 1) + i * 86_400_000).toISOString();
const XML = (i: number) =>
  Buffer.from(
    `<dict><key>IntuneMAMAllowedAccountsOnly</key><string>Enabled</string><key>SyncInterval</key><integer>${15 + i}</integer></dict>`,
  ).toString("base64");

/** A third each: iOS with settings, iOS with XML, Android Enterprise with a JSON payload. */
export function seedDeviceAppConfigurations(
  seed: number,
  { tenantKey, groups, count }: { tenantKey: string; groups: EmulatedGroup[]; count: number },
): EmulatedPolicy[] {
  const apps = seedMobileApps(seed, tenantKey);
  const out: EmulatedPolicy[] = [];
  for (let i = 0; i < count; i++) {
    const common = {
      id: seededGuid(seed, `mac:${tenantKey}:${i}`),
      description: i % 2 ? null : "Configures the app on enrolled devices",
      createdDateTime: day(i),
      lastModifiedDateTime: day(i + 3),
      roleScopeTagIds: ["0"],
      version: (i % 3) + 1,
    };
    const ios = iosApps(apps);
    const body =
      i % 3 === 2
        ? {
            "@odata.type": "#microsoft.graph.androidManagedStoreAppConfiguration",
            ...common,
            displayName: `Android app configuration ${number(i)}`,
            targetedMobileApps: [androidApps(apps)[i % 2]!.id],
            packageId: `app:${String(androidApps(apps)[i % 2]!.packageId)}`,
            payloadJson: Buffer.from(
              JSON.stringify({
                kind: "androidenterprise#managedConfiguration",
                productId: `app:${String(androidApps(apps)[i % 2]!.packageId)}`,
                managedProperty: [
                  { key: "com.microsoft.intune.mam.AllowedAccountUPNs", valueString: "{{userprincipalname}}" },
                ],
              }),
            ).toString("base64"),
            permissionActions: [{ permission: "android.permission.CAMERA", action: i % 2 ? "autoGrant" : "prompt" }],
            profileApplicability: "default",
            connectedAppsEnabled: false,
            appSupportsOemConfig: false,
          }
        : {
            "@odata.type": "#microsoft.graph.iosMobileAppConfiguration",
            ...common,
            displayName: `iOS app configuration ${number(i)}`,
            targetedMobileApps: [ios[i % ios.length]!.id],
            ...(i % 3 === 0
              ? {
                  encodedSettingXml: null,
                  settings: [
                    {
                      appConfigKey: "IntuneMAMUPN",
                      appConfigKeyType: "stringType",
                      appConfigKeyValue: "{{userprincipalname}}",
                    },
                    {
                      appConfigKey: "SyncInterval",
                      appConfigKeyType: "integerType",
                      appConfigKeyValue: String(10 + i),
                    },
                  ],
                }
              : { encodedSettingXml: XML(i), settings: [] }),
          };
    out.push({
      family: "mobileAppConfigurations",
      body,
      settings: [],
      assignments: assignmentsFor(seed, `${tenantKey}:mac`, i, groups),
    });
  }
  return out;
}

/** The mobileApp properties `$select` may name (beta mobileApp and the seeded derived types). */
const APP_PROPERTIES = [
  "id",
  "displayName",
  "description",
  "publisher",
  "createdDateTime",
  "lastModifiedDateTime",
  "isFeatured",
  "publishingState",
  "roleScopeTagIds",
  "bundleId",
  "packageId",
];

/**
 * `/deviceAppManagement/mobileApps` (v1.0 and beta): the list (one page: the catalogue is small) and
 * an app by id, with `$select` (intune-apps-mobileapp-list, -get). Read-only here: the console never
 * writes apps. An unknown id answers 404 as Intune's other entities do.
 */
export function registerMobileAppRoutes(app: Hono<EmulatorEnv>, state: EmulatorState) {
  const appsOf = (c: Context<EmulatorEnv>) => state.mobileApps.get(c.get("tenant").tenantId) ?? [];
  const view = (c: Context<EmulatorEnv>, item: EmulatedMobileApp): Record<string, unknown> | Response => {
    const select = c.req.query("$select");
    if (select === undefined) return item;
    const names = select.split(",").map((n) => n.trim());
    const unknown = names.find((n) => !APP_PROPERTIES.includes(n));
    if (unknown) return graphError(c, 400, "BadRequest", noSuchProperty(unknown, "microsoft.graph.mobileApp"));
    // As Graph answers a $select: the type annotation, the id, and what was asked for.
    return Object.fromEntries(
      Object.entries(item).filter(([key]) => key === "@odata.type" || key === "id" || names.includes(key)),
    );
  };
  for (const version of ["v1.0", "beta"] as const) {
    const base = `/${version}/deviceAppManagement/mobileApps`;
    app.get(base, (c) => {
      const value = appsOf(c).map((a) => view(c, a));
      const refused = value.find((v) => v instanceof Response);
      if (refused) return refused as Response;
      return c.json({ "@odata.context": `${new URL(c.req.url).origin}/${version}/$metadata#mobileApps`, value });
    });
    app.get(`${base}/:id`, (c) => {
      const found = appsOf(c).find((a) => a.id === c.req.param("id"));
      if (!found)
        return graphError(
          c,
          404,
          "ResourceNotFound",
          `{"_version": 3, "Message": "Resource not found - Operation ID (for customer support): ${crypto.randomUUID()}"}`,
        );
      const shown = view(c, found);
      if (shown instanceof Response) return shown;
      return c.json({
        "@odata.context": `${new URL(c.req.url).origin}/${version}/$metadata#mobileApps/$entity`,
        ...shown,
      });
    });
  }
}
