import Link from "next/link";

/** What a start surface says after submitting: an error, or that an equal run is already active. */
export function ActionFeedback({
  error,
  alreadyRunning,
  alreadyText = "Already running.",
}: {
  error?: string;
  alreadyRunning?: string;
  alreadyText?: string;
}) {
  return (
    <>
      {alreadyRunning ? (
        <p role="status" className="text-sm text-amber-700 dark:text-amber-400">
          {alreadyText}{" "}
          <Link href={alreadyRunning} className="font-medium underline">
            View the active run
          </Link>
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </>
  );
}
