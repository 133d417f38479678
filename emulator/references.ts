import { createHash } from "node:crypto";
import { seededGuid } from "./directory";
import type { EmulatedPolicy } from "./intune";

/**
 * Intune objects that policies and their assignments name by id: assignment filters
 * (`deviceAndAppManagementAssignmentFilter`, beta) and role scope tags (`roleScopeTag`, beta). Every
 * tenant has the same names under its own ids — filters are GUIDs, scope tags small numbers per
 * tenant — except the built-in "Default" tag, id "0" everywhere. Sources: docs/graph-fidelity.md.
 */
export type EmulatedFilter = {
  id: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  displayName: string;
  description: string | null;
  platform: string;
  rule: string;
  assignmentFilterManagementType: "devices" | "apps";
  roleScopeTags: string[];
  payloads: unknown[];
};
export type EmulatedScopeTag = { id: string; displayName: string; description: string | null; isBuiltIn: boolean };
export type TenantReferences = { filters: EmulatedFilter[]; scopeTags: EmulatedScopeTag[] };

const FILTERS = [
  ["Corporate Windows devices", "windows10AndLater", '(device.deviceOwnership -eq "Corporate")'],
  ["Personal iOS devices", "iOS", '(device.deviceOwnership -eq "Personal")'],
  ["Android work profile", "androidWorkProfile", '(device.manufacturer -eq "Samsung")'],
  ["macOS pilot", "macOS", '(device.model -startsWith "MacBook")'],
] as const;
const SCOPE_TAGS = ["Europe", "North America", "Pilot"] as const;

/** A tenant's filters and scope tags; the last of each has a name no other tenant has. */
export function seedReferences(seed: number, tenant: { key: string; displayName: string }): TenantReferences {
  const created = new Date(Date.UTC(2023, 5, 1)).toISOString();
  const filters = [...FILTERS, [`${tenant.displayName} kiosks`, "windows10AndLater", '(device.model -eq "Kiosk")']].map(
    ([displayName, platform, rule], i): EmulatedFilter => ({
      id: seededGuid(seed, `filter:${tenant.key}:${i}`),
      createdDateTime: created,
      lastModifiedDateTime: created,
      displayName,
      description: i % 2 ? null : `Devices matching ${displayName.toLowerCase()}`,
      platform,
      rule,
      assignmentFilterManagementType: "devices",
      roleScopeTags: ["0"],
      payloads: [],
    }),
  );
  // Custom tags are numbered from a per-tenant start, as tenants number theirs in creation order.
  const start = 1 + (createHash("sha256").update(`${seed}:tags:${tenant.key}`).digest()[0]! % 40);
  const scopeTags: EmulatedScopeTag[] = [
    { id: "0", displayName: "Default", description: "Built-in scope tag", isBuiltIn: true },
    ...[...SCOPE_TAGS, `${tenant.displayName} only`].map((displayName, i) => ({
      id: String(start + i),
      displayName,
      description: null,
      isBuiltIn: false,
    })),
  ];
  return { filters, scopeTags };
}

/**
 * Tenants whose policies use filters and custom scope tags. Every tenant has the filters and tags;
 * only these use them on policies, because older tests count the assignments and tags of theirs.
 */
export const FILTERED_TENANTS = new Set(["filterfield", "filterfold"]);

const FILTER_TYPES = ["include", "exclude"] as const;

/**
 * Puts filters on some of the policies' assignments and custom scope tags on some policies: two
 * policies in three filter their first assignment (include and exclude alternating), every fourth
 * policy carries a custom tag besides Default.
 */
export function withReferences(policies: EmulatedPolicy[], references: TenantReferences): EmulatedPolicy[] {
  // Only names every tenant has: the tenant-only filter and tag are for tests to use on purpose.
  const filters = references.filters.slice(0, FILTERS.length);
  const tags = references.scopeTags.filter((t) => !t.isBuiltIn).slice(0, SCOPE_TAGS.length);
  return policies.map((policy, i) => {
    const [first, ...rest] = policy.assignments;
    const filtered =
      first && i % 3 !== 2
        ? [
            {
              ...first,
              target: {
                ...first.target,
                deviceAndAppManagementAssignmentFilterId: filters[Math.floor(i / 3) % filters.length]!.id,
                deviceAndAppManagementAssignmentFilterType: FILTER_TYPES[i % 2]!,
              },
            },
            ...rest,
          ]
        : policy.assignments;
    const tagged = i % 4 === 1 ? { roleScopeTagIds: ["0", tags[Math.floor(i / 4) % tags.length]!.id] } : {};
    return { ...policy, body: { ...policy.body, ...tagged }, assignments: filtered };
  });
}
