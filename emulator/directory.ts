import { createHash } from "node:crypto";

/**
 * The emulator's tenants, generated deterministically from a seed number so that demo data and
 * tests see the same directory on every start. Later issues grow each tenant (policies, groups).
 */
export type EmulatedApp = { clientId: string; clientSecret: string; displayName: string };
export type EmulatedUser = { id: string; displayName: string; userPrincipalName: string };
export type EmulatedTenant = {
  /** Short name the demo data is derived from ("contoso"). */
  key: string;
  tenantId: string;
  displayName: string;
  defaultDomain: string;
  countryLetterCode: string;
  createdDateTime: string;
  apps: EmulatedApp[];
  /** People who can sign in with Microsoft (delegated tokens) in the demo. */
  users: EmulatedUser[];
};

/** A stable GUID-shaped value from a seed and a label (not random: tests rely on repeatability). */
export function seededGuid(seed: number, label: string): string {
  const h = createHash("sha256").update(`${seed}:${label}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function seededSecret(seed: number, label: string): string {
  return createHash("sha256").update(`secret:${seed}:${label}`).digest("base64url").slice(0, 40);
}

const DEMO_ORGS = [
  { key: "contoso", name: "Contoso Ltd", domain: "contoso.onmicrosoft.com", country: "US" },
  { key: "fabrikam", name: "Fabrikam Inc", domain: "fabrikam.onmicrosoft.com", country: "GB" },
  { key: "northwind", name: "Northwind Traders", domain: "northwind.onmicrosoft.com", country: "DE" },
  { key: "adatum", name: "Adatum Corporation", domain: "adatum.onmicrosoft.com", country: "FR" },
  { key: "tailspin", name: "Tailspin Toys", domain: "tailspin.onmicrosoft.com", country: "NL" },
  { key: "wingtip", name: "Wingtip Toys", domain: "wingtip.onmicrosoft.com", country: "US" },
  { key: "litware", name: "Litware Inc", domain: "litware.onmicrosoft.com", country: "CA" },
  { key: "woodgrove", name: "Woodgrove Bank", domain: "woodgrove.onmicrosoft.com", country: "US" },
  { key: "proseware", name: "Proseware Inc", domain: "proseware.onmicrosoft.com", country: "IE" },
  { key: "alpineskihouse", name: "Alpine Ski House", domain: "alpineskihouse.onmicrosoft.com", country: "CH" },
  { key: "relecloud", name: "Relecloud", domain: "relecloud.onmicrosoft.com", country: "AU" },
  { key: "fourthcoffee", name: "Fourth Coffee", domain: "fourthcoffee.onmicrosoft.com", country: "NZ" },
  { key: "cohowinery", name: "Coho Winery", domain: "cohowinery.onmicrosoft.com", country: "ES" },
  { key: "lucernepublishing", name: "Lucerne Publishing", domain: "lucernepublishing.onmicrosoft.com", country: "SE" },
  { key: "treyresearch", name: "Trey Research", domain: "treyresearch.onmicrosoft.com", country: "JP" },
  { key: "humongous", name: "Humongous Insurance", domain: "humongous.onmicrosoft.com", country: "US" },
  { key: "southridge", name: "Southridge Video", domain: "southridge.onmicrosoft.com", country: "GB" },
  { key: "margiestravel", name: "Margie's Travel", domain: "margiestravel.onmicrosoft.com", country: "IT" },
  { key: "blueyonder", name: "Blue Yonder Airlines", domain: "blueyonder.onmicrosoft.com", country: "US" },
  {
    key: "wideworldimporters",
    name: "Wide World Importers",
    domain: "wideworldimporters.onmicrosoft.com",
    country: "US",
  },
  { key: "graphicdesign", name: "Graphic Design Institute", domain: "graphicdesign.onmicrosoft.com", country: "GB" },
  { key: "cpandl", name: "City Power & Light", domain: "cpandl.onmicrosoft.com", country: "AT" },
  {
    key: "firstupconsultants",
    name: "First Up Consultants",
    domain: "firstupconsultants.onmicrosoft.com",
    country: "US",
  },
  { key: "bellowscollege", name: "Bellows College", domain: "bellowscollege.onmicrosoft.com", country: "US" },
  { key: "fineartschool", name: "Fine Art School", domain: "fineartschool.onmicrosoft.com", country: "FR" },
  {
    key: "consolidatedmessenger",
    name: "Consolidated Messenger",
    domain: "consolidatedmessenger.onmicrosoft.com",
    country: "CA",
  },
  {
    key: "northwindtraders",
    name: "Northwind Traders Europe",
    domain: "northwindtraders.onmicrosoft.com",
    country: "DK",
  },
  { key: "contosopharma", name: "Contoso Pharmaceuticals", domain: "contosopharma.onmicrosoft.com", country: "CH" },
  { key: "baselineworks", name: "Baseline Works", domain: "baselineworks.onmicrosoft.com", country: "US" },
  { key: "baselinelab", name: "Baseline Lab", domain: "baselinelab.onmicrosoft.com", country: "GB" },
  { key: "zipworks", name: "Zip Works", domain: "zipworks.onmicrosoft.com", country: "NL" },
  { key: "filterfield", name: "Filter Field", domain: "filterfield.onmicrosoft.com", country: "US" },
  { key: "filterfold", name: "Filter Fold", domain: "filterfold.onmicrosoft.com", country: "GB" },
  { key: "nestingbay", name: "Nesting Bay", domain: "nestingbay.onmicrosoft.com", country: "US" },
] as const;

export function buildDirectory(seed: number): EmulatedTenant[] {
  return DEMO_ORGS.map((org) => ({
    key: org.key,
    tenantId: seededGuid(seed, `tenant:${org.key}`),
    displayName: org.name,
    defaultDomain: org.domain,
    countryLetterCode: org.country,
    createdDateTime: new Date(Date.UTC(2019, 0, 1 + (seed % 365))).toISOString(),
    users: [
      {
        id: seededGuid(seed, `user:${org.key}:adele`),
        displayName: "Adele Vance",
        userPrincipalName: `adele@${org.domain}`,
      },
      {
        id: seededGuid(seed, `user:${org.key}:megan`),
        displayName: "Megan Bowen",
        userPrincipalName: `megan@${org.domain}`,
      },
    ],
    apps: [
      {
        clientId: seededGuid(seed, `app:${org.key}:tenantatlas`),
        clientSecret: seededSecret(seed, `app:${org.key}:tenantatlas`),
        displayName: "TenantAtlas console",
      },
    ],
  }));
}
