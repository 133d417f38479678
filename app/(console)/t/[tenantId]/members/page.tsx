import type { Metadata } from "next";
import { InviteForm } from "@/components/team/invite-form";
import { LeaveButton, MemberControls, RevokeInviteButton } from "@/components/team/member-controls";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { getDb } from "@/db/client";
import { tenantPageAccess } from "@/lib/auth/guards";
import { listOpenInvites } from "@/lib/team/invites";
import { listMembers } from "@/lib/team/members";

export const metadata: Metadata = { title: "Members" };

/** Who works on this tenant. Every member sees the list; owners invite, change roles and remove. */
export default async function MembersPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { user, role } = await tenantPageAccess(tenantId);
  const owner = role === "owner";
  const db = getDb();
  const [members, invites] = await Promise.all([
    listMembers(db, { userId: user.id, tenantId }),
    owner ? listOpenInvites(db, { userId: user.id, tenantId }) : Promise.resolve([]),
  ]);
  return (
    <div className="space-y-6">
      <Card>
        <h2 className="mb-3 text-lg font-semibold">Members</h2>
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Members">
          {members.map((member) => (
            <li
              key={member.userId}
              className="flex flex-wrap items-center justify-between gap-3 py-3"
              data-testid="member"
              data-email={member.email}
            >
              <div>
                <p className="font-medium">
                  {member.name}
                  {member.userId === user.id ? <span className="text-muted"> (you)</span> : null}
                </p>
                <p className="text-xs text-muted">{member.email}</p>
              </div>
              {owner ? (
                <MemberControls
                  tenantId={tenantId}
                  memberId={member.userId}
                  name={member.name}
                  role={member.role}
                  self={member.userId === user.id}
                />
              ) : (
                <span className="text-sm capitalize" data-testid="member-role">
                  {member.role}
                </span>
              )}
            </li>
          ))}
        </ul>
        <div className="mt-4 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <LeaveButton tenantId={tenantId} userId={user.id} />
        </div>
      </Card>
      {owner ? (
        <>
          <InviteForm tenantId={tenantId} />
          <Card>
            <h2 className="mb-3 text-lg font-semibold">Open invites</h2>
            {invites.length === 0 ? (
              <p className="text-sm text-muted">No open invites.</p>
            ) : (
              <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Open invites">
                {invites.map((invite) => (
                  <li key={invite.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                    <div>
                      <p className="font-medium">{invite.email}</p>
                      <p className="text-xs text-muted">
                        <span className="capitalize">{invite.role}</span> · expires <Time date={invite.expiresAt} />
                      </p>
                    </div>
                    <RevokeInviteButton tenantId={tenantId} inviteId={invite.id} email={invite.email} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </>
      ) : null}
    </div>
  );
}
