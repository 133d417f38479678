import { TextLink } from "@/components/ui/text-link";
import type { StartState } from "@/lib/operations/start-action";

/**
 * What a start surface says when it stays on its page: the error, or (inside a wizard that asked
 * to stay) the run it started or the equal run that was already active.
 */
export function ActionFeedback({ state }: { state: StartState }) {
  if (!state) return null;
  return (
    <>
      {state.run ? (
        <p
          role="status"
          className={
            state.run.created
              ? "text-sm text-green-700 dark:text-green-400"
              : "text-sm text-amber-800 dark:text-amber-300"
          }
        >
          {state.run.created ? "Started." : "Already running."}{" "}
          <TextLink href={state.run.href} target="_blank">
            {state.run.created ? "View its run" : "View the active run"}
          </TextLink>
        </p>
      ) : null}
      {state.error ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.error}
        </p>
      ) : null}
    </>
  );
}
