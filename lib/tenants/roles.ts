import { type MembershipRole, membershipRole } from "@/db/schema/enums";

export const ROLES = membershipRole.enumValues;

const rank: Record<MembershipRole, number> = { viewer: 0, operator: 1, owner: 2 };

export function roleAtLeast(role: MembershipRole, minimum: MembershipRole): boolean {
  return rank[role] >= rank[minimum];
}
