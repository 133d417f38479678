import { ShownOnce } from "@/components/ui/shown-once";

/** A signing secret, shown this once after it was made: the console never shows it again. */
export function SecretOnce({ secret, intro }: { secret: string; intro: string }) {
  return (
    <ShownOnce value={secret} label="Signing secret" testId="signing-secret">
      {intro} It is shown only now; store it with your receiver to verify signatures (docs/alerts.md).
    </ShownOnce>
  );
}
