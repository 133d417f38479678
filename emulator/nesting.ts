import { seededGuid } from "./directory";
import type { EmulatedGroup, GroupMember } from "./groups";

/** The demo tenant whose directory nests groups (the assignment explorer's nested-group case). */
export const NESTING_TENANT = "nestingbay";
/** Users in the large group: more than one `members@delta` entry holds, so the group is listed several times. */
export const LARGE_GROUP_USERS = 250;

const user = (seed: number, key: string, n: number): GroupMember => ({
  kind: "user",
  id: seededGuid(seed, `member-user:${key}:${n}`),
});
const device = (seed: number, key: string, n: number): GroupMember => ({
  kind: "device",
  id: seededGuid(seed, `member-device:${key}:${n}`),
});

function nestedGroup(seed: number, key: string, displayName: string, n: number): EmulatedGroup {
  const nickname = displayName.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return {
    id: seededGuid(seed, `nested-group:${key}:${n}`),
    displayName,
    description: "Nested security group",
    mail: null,
    mailEnabled: false,
    mailNickname: nickname,
    securityEnabled: true,
    groupTypes: [],
    createdDateTime: new Date(Date.UTC(2021, 0, 1 + n)).toISOString(),
  };
}

/**
 * Nested groups for the nesting tenant (none elsewhere): "Nesting A" ⊃ "Nesting B" ⊃ "Nesting C",
 * each with users (and devices in C), and a large group of users. Other tenants' groups have no
 * members, so their delta rounds list each group once as before.
 */
export function seedNesting(seed: number, tenantKey: string) {
  if (tenantKey !== NESTING_TENANT) return { groups: [], memberships: new Map<string, GroupMember[]>() };
  const [a, b, c, large] = ["Nesting A", "Nesting B", "Nesting C", "Nesting Large"].map((name, n) =>
    nestedGroup(seed, tenantKey, name, n),
  ) as [EmulatedGroup, EmulatedGroup, EmulatedGroup, EmulatedGroup];
  const users = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => user(seed, tenantKey, from + i));
  const memberships = new Map<string, GroupMember[]>([
    [a.id, [{ kind: "group", id: b.id }, ...users(0, 3)]],
    [b.id, [{ kind: "group", id: c.id }, ...users(3, 2)]],
    [c.id, [...users(5, 2), device(seed, tenantKey, 0), device(seed, tenantKey, 1)]],
    [large.id, users(100, LARGE_GROUP_USERS)],
  ]);
  return { groups: [a, b, c, large], memberships };
}
