import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildDirectory, type EmulatedTenant } from "@/emulator/directory";

/** The seed the global setup starts the Graph emulator with. */
export const EMULATOR_SEED = 7;

/**
 * Which emulated tenants each test file owns, by key (see emulator/directory.ts). All files share
 * one database, where one verified registration holds a tenant GUID, and one emulator, whose policies, groups
 * and assignments they change, so a tenant must belong to one file only. Every claim lives in this
 * one list so that a shared tenant is an error at load instead of a flaky test.
 */
export const TENANT_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  "worker-lifecycle.test.ts": ["contoso", "fabrikam", "northwind"],
  "directory-sync.test.ts": ["adatum", "tailspin"],
  "inventory-sync.test.ts": ["wingtip"],
  "backups.test.ts": ["litware"],
  // Source and target of the restores.
  "restores.test.ts": ["woodgrove", "proseware"],
  "rbac.test.ts": ["alpineskihouse"],
  "emulator.test.ts": ["relecloud", "fourthcoffee"],
  "emulator-writes.test.ts": ["cohowinery"],
  "emulator-oidc.test.ts": ["lucernepublishing"],
  "emulator-shapes.test.ts": ["treyresearch"],
  // Source and target of the throttled restores.
  "graph-throttling.test.ts": ["humongous", "southridge"],
  // Source and target of restores holding secrets, and of restores with cross-tenant references.
  "restore-secrets.test.ts": ["margiestravel", "blueyonder"],
  "restore-references.test.ts": ["wideworldimporters", "graphicdesign"],
  "permissions.test.ts": ["cpandl"],
  // Source and target of restores whose create answers are lost, and a tenant for role assignments.
  "idempotent-creates.test.ts": ["firstupconsultants", "bellowscollege", "fineartschool"],

  "worker-observability.test.ts": ["consolidatedmessenger"],
  // A tenant whose GUID is squatted, and one whose app and secret are changed and which is removed.
  "tenant-settings.test.ts": ["northwindtraders", "contosopharma"],
  // The tenant that drifts, and the one its cross-tenant baseline is taken from.
  "drift.test.ts": ["baselineworks", "baselinelab"],
  // The tenant whose backups are exported as zips.
  "backup-export.test.ts": ["zipworks"],
  // Source and target of restores and drift with assignment filters and scope tags.
  "assignment-filters.test.ts": ["filterfield", "filterfold"],
  // Nested groups (A ⊃ B ⊃ C) and the assignment explorer.
  "explorer.test.ts": ["nestingbay"],
};

type Options = { claims?: Readonly<Record<string, readonly string[]>>; directory?: EmulatedTenant[] };
type Claimed<N extends number, T extends EmulatedTenant[] = []> = T["length"] extends N
  ? T
  : Claimed<N, [...T, EmulatedTenant]>;

const TESTS_DIR = fileURLToPath(new URL("..", import.meta.url));
const NO_FREE_TENANT = "The emulator has no free tenant left: add one to DEMO_ORGS in emulator/directory.ts.";

/** Which file owns each tenant. Throws if two files claim one tenant, or one the emulator does not have. */
export function tenantOwners(claims = TENANT_CLAIMS, directory = buildDirectory(EMULATOR_SEED)): Map<string, string> {
  const known = new Set(directory.map((t) => t.key));
  const owners = new Map<string, string>();
  for (const [file, keys] of Object.entries(claims)) {
    for (const key of keys) {
      if (!known.has(key)) {
        throw new Error(`${file} claims emulated tenant "${key}", which the emulator does not have. ${NO_FREE_TENANT}`);
      }
      const owner = owners.get(key);
      if (owner) {
        const free = unclaimed(claims, directory).map((t) => t.key);
        throw new Error(
          `Emulated tenant "${key}" is claimed by both ${owner} and ${file} (tests/support/tenants.ts). ` +
            (free.length ? `Free tenants: ${free.join(", ")}.` : NO_FREE_TENANT),
        );
      }
      owners.set(key, file);
    }
  }
  return owners;
}

const unclaimed = (claims: Readonly<Record<string, readonly string[]>>, directory: EmulatedTenant[]) =>
  directory.filter((t) => !Object.values(claims).some((keys) => keys.includes(t.key)));

/**
 * The emulated tenants TENANT_CLAIMS gives the calling test file, checked against every other
 * file's claims: `const [source, target] = claimEmulatedTenants(import.meta.url, 2)`.
 */
export function claimEmulatedTenants<N extends 1 | 2 | 3 | 4>(
  testFile: string,
  count: N,
  { claims = TENANT_CLAIMS, directory = buildDirectory(EMULATOR_SEED) }: Options = {},
): Claimed<N> {
  tenantOwners(claims, directory);
  const file = path.relative(TESTS_DIR, testFile.startsWith("file:") ? fileURLToPath(testFile) : testFile);
  const keys = claims[file];
  if (!keys) {
    const free = unclaimed(claims, directory).slice(0, count);
    throw new Error(
      free.length < count
        ? `${file} claims no emulated tenant. ${NO_FREE_TENANT}`
        : `${file} claims no emulated tenant: add "${file}": [${free.map((t) => `"${t.key}"`).join(", ")}] to TENANT_CLAIMS in tests/support/tenants.ts.`,
    );
  }
  if (keys.length !== count) {
    throw new Error(
      `${file} asks for ${count} emulated tenant(s), but tests/support/tenants.ts gives it ${keys.length}.`,
    );
  }
  return keys.map((key) => directory.find((t) => t.key === key)!) as Claimed<N>;
}

/** The one emulated tenant the calling test file owns: `const litware = claimEmulatedTenant(import.meta.url)`. */
export const claimEmulatedTenant = (testFile: string, options?: Options) =>
  claimEmulatedTenants(testFile, 1, options)[0];
