"use client";

import { type ReactNode, useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * A value the console shows this once after making it (an invite link, a signing secret) and never
 * again: what it is for, the value selectable in a field, and a copy button.
 */
export function ShownOnce({
  value,
  label,
  testId,
  children,
}: {
  value: string;
  label: string;
  testId: string;
  children: ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="mt-4 space-y-2 rounded-md border border-blue-200 bg-blue-50 p-3 text-sm dark:border-blue-900 dark:bg-blue-950">
      <p>{children}</p>
      <div className="flex gap-2">
        <input
          readOnly
          value={value}
          aria-label={label}
          data-testid={testId}
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button
          type="button"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard.writeText(value);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}
