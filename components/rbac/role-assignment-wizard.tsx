"use client";

import { signIn } from "next-auth/react";
import { useActionState, useState } from "react";
import { LinkMicrosoftForm } from "@/components/account/link-microsoft-form";
import { GroupPicker } from "@/components/groups/group-picker";
import { ActionFeedback } from "@/components/operations/action-feedback";
import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { GroupSearch } from "@/lib/directory/group-search";
import type { StartState } from "@/lib/operations/start-action";
import { paths } from "@/lib/paths";
import { startRoleAssignmentAction } from "@/lib/rbac/actions";

type Role = { id: string; displayName: string; description: string | null };
const STEPS = ["Role", "Members", "Scope", "Start"] as const;

/**
 * Shown instead of the group search when this session has no usable delegated Microsoft token. A
 * password session links a Microsoft account (password first, see LinkMicrosoftForm); a Microsoft
 * session signs in again with the right one.
 */
function SearchDisabled({
  reason,
  canSignIn,
  passwordSession,
  callbackUrl,
}: {
  reason: string;
  canSignIn: boolean;
  passwordSession: boolean;
  callbackUrl: string;
}) {
  return (
    <div
      role="note"
      data-testid="group-search-disabled"
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
    >
      <input
        type="search"
        aria-label="Search groups (disabled)"
        disabled
        placeholder="Group search is off"
        className="w-full max-w-md rounded-md border border-zinc-300 px-3 py-1.5 text-sm"
      />
      <p>{reason}</p>
      {!canSignIn ? (
        <p>This console has no Microsoft app registration configured, so no session can have one.</p>
      ) : passwordSession ? (
        <>
          <LinkMicrosoftForm callbackUrl={callbackUrl} label="Sign in with Microsoft" />
          <p className="text-xs">
            The Microsoft account is linked to your console account: you stay who you are, with a delegated token added.
          </p>
        </>
      ) : (
        <button type="button" className={buttonClass("secondary")} onClick={() => signIn("azure-ad", { callbackUrl })}>
          Sign in with Microsoft
        </button>
      )}
    </div>
  );
}

/**
 * Role → member groups → scope groups → start `rbac.assign`. The role list comes from the database
 * (synced by a run); groups are found live in Entra ID with the user's own delegated token, or the
 * pickers are disabled and say why.
 */
export function RoleAssignmentWizard({
  tenantId,
  roles,
  search,
  searchDisabledReason,
  canSignIn,
  passwordSession,
}: {
  tenantId: string;
  roles: Role[];
  search: GroupSearch;
  searchDisabledReason?: string;
  canSignIn: boolean;
  /** Signed in with a password (no Microsoft sign-in at all in this session). */
  passwordSession: boolean;
}) {
  const [step, setStep] = useState(0);
  const [roleId, setRoleId] = useState<string>("");
  const [state, formAction, pending] = useActionState<StartState, FormData>(
    startRoleAssignmentAction.bind(null, tenantId),
    undefined,
  );
  const role = roles.find((r) => r.id === roleId);
  const picker = (label: string, name: string) =>
    searchDisabledReason ? (
      <SearchDisabled
        reason={searchDisabledReason}
        canSignIn={canSignIn}
        passwordSession={passwordSession}
        callbackUrl={paths.intuneRoles(tenantId)}
      />
    ) : (
      <GroupPicker
        label={label}
        name={name}
        search={search}
        multiple
        withName
        hint="Searches Entra ID as you (your Microsoft sign-in)."
      />
    );

  return (
    <form action={formAction} className="space-y-4" data-testid="rbac-wizard">
      <ol className="flex flex-wrap gap-2 text-sm" aria-label="Role assignment steps">
        {STEPS.map((label, i) => (
          <li
            key={label}
            aria-current={i === step ? "step" : undefined}
            className={cn(
              "rounded-full px-3 py-1",
              i === step ? "bg-blue-600 text-white" : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
            )}
          >
            {i + 1}. {label}
          </li>
        ))}
      </ol>
      <fieldset hidden={step !== 0} className="space-y-2">
        <legend className="mb-1 font-medium">Intune role</legend>
        {/* The choice lives in state; this field submits it. */}
        <input type="hidden" name="roleDefinitionId" value={roleId} />
        {roles.length === 0 ? (
          <p className="text-sm text-muted">No role definitions cached yet: sync Intune roles first.</p>
        ) : null}
        {roles.map((r) => (
          <label key={r.id} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="role-choice"
              value={r.id}
              checked={roleId === r.id}
              onChange={() => setRoleId(r.id)}
              className="mt-1"
            />
            <span>
              <span className="font-medium">{r.displayName}</span>
              {r.description ? <span className="block text-xs text-muted">{r.description}</span> : null}
            </span>
          </label>
        ))}
      </fieldset>
      <fieldset hidden={step !== 1} className="space-y-2">
        <legend className="mb-1 font-medium">Member groups (who gets the role)</legend>
        {picker("Member groups", "member")}
      </fieldset>
      <fieldset hidden={step !== 2} className="space-y-2">
        <legend className="mb-1 font-medium">Scope groups (what they may manage; optional)</legend>
        {picker("Scope groups", "scope")}
      </fieldset>
      <fieldset hidden={step !== 3} className="space-y-2">
        <legend className="mb-1 font-medium">Assignment name</legend>
        <input
          name="displayName"
          aria-label="Assignment name"
          defaultValue=""
          placeholder={role ? `${role.displayName} assignment` : "Name"}
          maxLength={128}
          className="w-full max-w-md rounded-md border border-zinc-300 px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        />
        <p className="text-xs text-muted">
          The worker creates the assignment in Intune with the tenant&apos;s app registration; you follow it on the run
          page.
        </p>
      </fieldset>
      <div className="flex gap-3">
        {step > 0 ? (
          <button type="button" className={buttonClass("secondary")} onClick={() => setStep(step - 1)}>
            Back
          </button>
        ) : null}
        {/* Distinct keys: reusing one <button> would turn the clicked "Next" into a submit mid-click. */}
        {step < 3 ? (
          <button
            key="next"
            type="button"
            className={buttonClass("primary")}
            disabled={step === 0 && !roleId}
            onClick={() => setStep(step + 1)}
          >
            Next
          </button>
        ) : (
          <button key="submit" type="submit" className={buttonClass("primary")} disabled={pending}>
            {pending ? "Starting…" : "Assign role"}
          </button>
        )}
      </div>
      <ActionFeedback state={state} />
    </form>
  );
}
