import { Time } from "@/components/ui/time";
import type { openInvitesForEmail } from "@/lib/team/invites";

type Invites = Awaited<ReturnType<typeof openInvitesForEmail>>;

/** Tells a user that invites to their email are waiting; accepting takes the link the inviter holds. */
export function PendingInvitesBanner({ invites }: { invites: Invites }) {
  if (invites.length === 0) return null;
  return (
    <section
      aria-label="Pending invites"
      data-testid="pending-invites"
      className="mb-6 rounded-lg border border-blue-200 bg-blue-50 p-4 text-sm dark:border-blue-900 dark:bg-blue-950"
    >
      <p className="font-medium">
        {invites.length === 1 ? "An invite is waiting for you" : `${invites.length} invites are waiting for you`}
      </p>
      <ul className="mt-2 space-y-1">
        {invites.map((invite, i) => (
          // Invites carry no id here on purpose: nothing on this page can accept them.
          <li key={i}>
            {invite.tenantName} as <span className="capitalize">{invite.role}</span>
            {invite.invitedBy ? `, from ${invite.invitedBy}` : null} · expires <Time date={invite.expiresAt} />
          </li>
        ))}
      </ul>
      <p className="mt-2 text-zinc-700 dark:text-zinc-300">
        Open the invite link you were sent to join; ask the inviter for it if you do not have it.
      </p>
    </section>
  );
}
