import { type MembershipRole, membershipRole } from "@/db/schema/enums";

export const ROLES = membershipRole.enumValues;

const rank: Record<MembershipRole, number> = { viewer: 0, operator: 1, owner: 2 };

export function roleAtLeast(role: MembershipRole, minimum: MembershipRole): boolean {
  return rank[role] >= rank[minimum];
}

/**
 * Why a member cannot do something, in the one wording every page uses — or undefined when they
 * can. `what` names the action ("Restoring", "Cancel and re-run").
 */
export function roleShortfall(role: MembershipRole, minimum: MembershipRole, what = "This"): string | undefined {
  if (roleAtLeast(role, minimum)) return undefined;
  return `${what} needs the ${minimum} role; you are ${role === "operator" ? "an" : "a"} ${role}.`;
}
