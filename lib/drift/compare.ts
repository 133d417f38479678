import type { DriftSettingChange } from "@/db/schema/drift";
import type { PolicyFamily } from "@/db/schema/inventory";
import type { NormalizedPolicy } from "./normalize";

/**
 * A policy on one side of the comparison, already normalised. `foreign`: read in another tenant
 * (a baseline copied from there), whose ids name nothing here — or another object: scope tags are
 * small numbers each tenant hands out, so that tenant's tag 3 may be this one's different tag 3.
 */
export type ComparedPolicy = {
  policyId: string;
  family: PolicyFamily;
  name: string;
  normalized: NormalizedPolicy;
  foreign?: boolean;
};

export type DriftResult<B extends ComparedPolicy, C extends ComparedPolicy> = {
  changed: { baseline: B; current: C; changes: DriftSettingChange[] }[];
  missing: B[];
  added: C[];
  unchanged: number;
};

/** Each setting whose value differs, or that only one side has, in key order. */
export function compareSettings(baseline: NormalizedPolicy, current: NormalizedPolicy): DriftSettingChange[] {
  const keys = [...new Set([...baseline.keys(), ...current.keys()])].sort();
  const changes: DriftSettingChange[] = [];
  for (const key of keys) {
    const before = baseline.get(key);
    const after = current.get(key);
    if (before?.value === after?.value) continue;
    changes.push({
      key,
      label: (before ?? after)!.label,
      baseline: before?.value ?? null,
      current: after?.value ?? null,
    });
  }
  return changes;
}

const nameKey = (p: ComparedPolicy) => `${p.family}\n${p.name}`;

/**
 * Pairs baseline and current policies — by the policy's id first (never a foreign entry's), then,
 * among those left, by family and name (a baseline taken in another tenant has other ids) — and
 * compares each pair. A name
 * shared by several policies on one side is paired only by id: guessing would report false drift.
 * `currentAs` gives the current side normalised the way its baseline partner was (GroupKeying).
 */
export function comparePolicies<B extends ComparedPolicy, C extends ComparedPolicy>(
  baseline: B[],
  current: C[],
  currentAs: (current: C, baseline: B) => NormalizedPolicy = (c) => c.normalized,
): DriftResult<B, C> {
  const currentById = new Map(current.map((c) => [`${c.family}\n${c.policyId}`, c]));
  const pairs: [B, C][] = [];
  const unpairedBaseline: B[] = [];
  const pairedCurrent = new Set<C>();
  for (const b of baseline) {
    const c = b.foreign ? undefined : currentById.get(`${b.family}\n${b.policyId}`);
    if (c) {
      pairs.push([b, c]);
      pairedCurrent.add(c);
    } else unpairedBaseline.push(b);
  }
  const unique = <T extends ComparedPolicy>(list: T[]) => {
    const byName = new Map<string, T | null>();
    for (const p of list) byName.set(nameKey(p), byName.has(nameKey(p)) ? null : p);
    return byName;
  };
  const leftCurrent = current.filter((c) => !pairedCurrent.has(c));
  const currentByName = unique(leftCurrent);
  const baselineByName = unique(unpairedBaseline);
  const missing: B[] = [];
  for (const b of unpairedBaseline) {
    const c = baselineByName.get(nameKey(b)) ? currentByName.get(nameKey(b)) : undefined;
    if (c) {
      pairs.push([b, c]);
      pairedCurrent.add(c);
    } else missing.push(b);
  }
  const result: DriftResult<B, C> = { changed: [], missing, added: [], unchanged: 0 };
  for (const [b, c] of pairs) {
    const changes = compareSettings(b.normalized, currentAs(c, b));
    if (changes.length) result.changed.push({ baseline: b, current: c, changes });
    else result.unchanged += 1;
  }
  result.added = current.filter((c) => !pairedCurrent.has(c));
  return result;
}
