"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { useAction } from "@/components/ui/use-action";
import type { MembershipRole } from "@/db/schema/enums";
import { changeRoleAction, removeMemberAction, revokeInviteAction } from "@/lib/team/actions";

/** An owner's controls for one member: change the role, remove. */
export function MemberControls(props: {
  tenantId: string;
  memberId: string;
  name: string;
  role: MembershipRole;
  self: boolean;
}) {
  const { pending, feedback, run } = useAction({ refresh: true });
  const [role, setRole] = useState(props.role);
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      <label className="sr-only" htmlFor={`role-${props.memberId}`}>
        Role of {props.name}
      </label>
      <select
        id={`role-${props.memberId}`}
        value={role}
        disabled={pending}
        data-testid="member-role-select"
        className="rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-950"
        onChange={(e) => {
          const next = e.currentTarget.value as MembershipRole;
          const previous = role;
          setRole(next);
          run(async () => {
            const answer = await changeRoleAction({ tenantId: props.tenantId, memberId: props.memberId, role: next });
            if ("error" in answer) setRole(previous);
            return answer;
          });
        }}
      >
        <option value="owner">Owner</option>
        <option value="operator">Operator</option>
        <option value="viewer">Viewer</option>
      </select>
      {props.self ? null : (
        <Button
          type="button"
          variant="secondary"
          disabled={pending}
          aria-label={`Remove ${props.name}`}
          onClick={() => {
            if (!window.confirm(`Remove ${props.name} from this tenant?`)) return;
            run(() => removeMemberAction({ tenantId: props.tenantId, memberId: props.memberId }));
          }}
        >
          Remove
        </Button>
      )}
      <FormMessage error={feedback.error} className="w-full" />
    </div>
  );
}

/** Any member may leave; the last owner is refused (and told why). */
export function LeaveButton({ tenantId, userId }: { tenantId: string; userId: string }) {
  const { pending, feedback, run } = useAction({ refresh: true });
  return (
    <div className="space-y-2">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        onClick={() => {
          if (!window.confirm("Leave this tenant? You will lose access to it.")) return;
          run(() => removeMemberAction({ tenantId, memberId: userId }));
        }}
      >
        Leave tenant
      </Button>
      <FormMessage error={feedback.error} />
    </div>
  );
}

export function RevokeInviteButton({
  tenantId,
  inviteId,
  email,
}: {
  tenantId: string;
  inviteId: string;
  email: string;
}) {
  const { pending, feedback, run } = useAction({ refresh: true });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        aria-label={`Revoke the invite for ${email}`}
        onClick={() => run(() => revokeInviteAction({ tenantId, inviteId }))}
      >
        Revoke
      </Button>
      <FormMessage error={feedback.error} />
    </div>
  );
}
