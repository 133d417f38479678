import { createHash } from "node:crypto";
import { seededGuid } from "./directory";

/** An Entra group as Graph returns it (the properties the console reads). */
export type EmulatedGroup = {
  id: string;
  displayName: string;
  description: string | null;
  mail: string | null;
  mailEnabled: boolean;
  mailNickname: string;
  securityEnabled: boolean;
  groupTypes: string[];
  createdDateTime: string;
};

/** A member of a group as `members@delta` names it: only its type and id (group-delta, "Only the id property of related resources is returned"). */
export type MemberKind = "user" | "group" | "device";
export type GroupMember = { kind: MemberKind; id: string };
/** One membership change of a group: a member added, or removed (listed with `@removed`). */
export type MemberChange = GroupMember & { removed: boolean };

/** One entry of the change log: a group as added, the properties one update changed, a removal, or membership changes. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Change =
  | { seq: number; id: string; kind: "added"; group: EmulatedGroup }
  | { seq: number; id: string; kind: "updated"; changed: Partial<EmulatedGroup> }
  | { seq: number; id: string; kind: "removed"; reason: RemovedReason }
  | { seq: number; id: string; kind: "members"; changes: MemberChange[] };
/** A Microsoft 365 group is soft-deleted ("changed", restorable); a security group is gone ("deleted"). */
type RemovedReason = "changed" | "deleted";
export type DeltaEntry =
  | { kind: "added"; group: EmulatedGroup }
  | { kind: "updated"; id: string; changed: Partial<EmulatedGroup> }
  | { kind: "removed"; id: string; reason: RemovedReason }
  | { kind: "members"; id: string; changes: MemberChange[] };

/**
 * One tenant's groups with a change log, so `/groups/delta` can answer "what changed since this
 * token" as Graph documents it (delta query overview, "Resource representation in the delta query
 * response"): a new group in full, an updated one by its id with the properties that changed, a
 * removed one as an `@removed` stub — and a group changed several times possibly several times.
 */
export class GroupDirectory {
  #groups = new Map<string, EmulatedGroup>();
  /** Each group's direct members by member id (users, devices and nested groups). */
  #members = new Map<string, Map<string, MemberKind>>();
  #log: Change[] = [];
  #seq = 0;
  /** The sorted listing, rebuilt only after a change (paging 50,000 groups must not sort per page). */
  #sorted: EmulatedGroup[] | undefined;

  constructor(initial: EmulatedGroup[], memberships: Map<string, GroupMember[]> = new Map()) {
    for (const g of initial) this.#groups.set(g.id, g);
    for (const [groupId, members] of memberships)
      this.#members.set(groupId, new Map(members.map((m) => [m.id, m.kind])));
  }

  /** A group's direct members, in a stable order. */
  members(groupId: string): GroupMember[] {
    return [...(this.#members.get(groupId) ?? [])]
      .map(([id, kind]) => ({ id, kind }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /**
   * Adds and removes direct members of a group. Entra ID does not document refusing a nesting loop
   * (and tools that audit real tenants report circular nesting), so a loop is accepted. Only
   * changes that change something are logged; returns false for an unknown group.
   */
  changeMembers(groupId: string, { add = [], remove = [] }: { add?: GroupMember[]; remove?: string[] }) {
    if (!this.#groups.has(groupId)) return false;
    const members = this.#members.get(groupId) ?? new Map<string, MemberKind>();
    this.#members.set(groupId, members);
    const changes: MemberChange[] = [];
    for (const id of remove) {
      const kind = members.get(id);
      if (!kind) continue;
      members.delete(id);
      changes.push({ id, kind, removed: true });
    }
    for (const m of add) {
      if (members.has(m.id)) continue;
      members.set(m.id, m.kind);
      changes.push({ ...m, removed: false });
    }
    if (changes.length) this.#record({ id: groupId, kind: "members", changes });
    return true;
  }

  get seq() {
    return this.#seq;
  }

  /** Every live group in a stable order (Graph pages in its own fixed order too). */
  list(): EmulatedGroup[] {
    this.#sorted ??= [...this.#groups.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    return this.#sorted;
  }

  get(id: string) {
    return this.#groups.get(id);
  }

  add(group: EmulatedGroup) {
    this.#groups.set(group.id, group);
    this.#record({ id: group.id, kind: "added", group });
    return group;
  }

  update(id: string, patch: Partial<Omit<EmulatedGroup, "id">>) {
    const current = this.#groups.get(id);
    if (!current) return undefined;
    const next = { ...current, ...patch, id };
    this.#groups.set(id, next);
    const changed = Object.fromEntries(
      Object.entries(patch).filter(([key, value]) => key !== "id" && current[key as keyof EmulatedGroup] !== value),
    );
    this.#record({ id, kind: "updated", changed });
    return next;
  }

  remove(id: string) {
    const group = this.#groups.get(id);
    if (!group) return false;
    this.#groups.delete(id);
    // A deleted group leaves the groups it was in (they list it as a removed member) and has no members left.
    for (const [parentId, members] of this.#members) {
      const kind = members.get(id);
      if (kind && parentId !== id) this.changeMembers(parentId, { remove: [id] });
    }
    this.#members.delete(id);
    this.#record({ id, kind: "removed", reason: group.groupTypes.includes("Unified") ? "changed" : "deleted" });
    return true;
  }

  /**
   * Every change after `seq`, in order, one entry per change: a group edited twice is listed twice,
   * each time with what that edit changed (Graph does not promise one entry per group).
   */
  changesSince(seq: number): DeltaEntry[] {
    return this.#log
      .filter((c) => c.seq > seq)
      .map((c) =>
        c.kind === "added"
          ? { kind: "added", group: c.group }
          : c.kind === "updated"
            ? { kind: "updated", id: c.id, changed: c.changed }
            : c.kind === "members"
              ? { kind: "members", id: c.id, changes: c.changes }
              : { kind: "removed", id: c.id, reason: c.reason },
      );
  }

  #record(change: DistributiveOmit<Change, "seq">) {
    this.#sorted = undefined;
    this.#seq += 1;
    this.#log.push({ ...change, seq: this.#seq } as Change);
  }
}

const DEPARTMENTS = [
  "Finance",
  "Sales",
  "Engineering",
  "HR",
  "Marketing",
  "Support",
  "Legal",
  "IT",
  "Operations",
  "Research",
];
const KINDS = ["Devices", "Users", "Pilot", "Admins", "Kiosks", "Contractors"];

/** Deterministic groups for a tenant: the same seed always gives the same directory. */
export function seedGroups(seed: number, tenantKey: string, count: number): EmulatedGroup[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, "0");
    const dept = DEPARTMENTS[i % DEPARTMENTS.length]!;
    const kind = KINDS[Math.floor(i / DEPARTMENTS.length) % KINDS.length]!;
    const unified = i % 5 === 0;
    const nickname = `${dept}-${kind}-${n}`.toLowerCase();
    return {
      id: seededGuid(seed, `group:${tenantKey}:${i}`),
      displayName: `${dept} ${kind} ${n}`,
      description: i % 3 === 0 ? null : `${kind} of ${dept}`,
      mail: unified ? `${nickname}@${tenantKey}.onmicrosoft.com` : null,
      mailEnabled: unified,
      mailNickname: nickname,
      securityEnabled: !unified || i % 10 === 0,
      groupTypes: unified ? ["Unified"] : [],
      createdDateTime: new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString(),
    };
  });
}

/** A new group for tests that change the tenant (id derived from the name, so repeatable). */
export function newGroup(displayName: string, tenantKey: string): EmulatedGroup {
  const h = createHash("sha256").update(`${tenantKey}:${displayName}`).digest("hex");
  return {
    id: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`,
    displayName,
    description: null,
    mail: null,
    mailEnabled: false,
    mailNickname: displayName.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    securityEnabled: true,
    groupTypes: [],
    createdDateTime: new Date().toISOString(),
  };
}
