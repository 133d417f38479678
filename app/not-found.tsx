import { TextLink } from "@/components/ui/text-link";
import { paths } from "@/lib/paths";

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-3 p-6 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-sm text-muted">This page does not exist, or you do not have access to it.</p>
      <TextLink href={paths.tenants()} strong className="text-sm">
        Back to tenants
      </TextLink>
    </main>
  );
}
