"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** A signing secret, shown this once after it was made: the console never shows it again. */
export function SecretOnce({ secret, intro }: { secret: string; intro: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="mt-4 space-y-2 rounded-md border border-blue-200 bg-blue-50 p-3 text-sm dark:border-blue-900 dark:bg-blue-950">
      <p>{intro} It is shown only now; store it with your receiver to verify signatures (docs/alerts.md).</p>
      <div className="flex gap-2">
        <input
          readOnly
          value={secret}
          aria-label="Signing secret"
          data-testid="signing-secret"
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-950"
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button
          type="button"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard.writeText(secret);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}
