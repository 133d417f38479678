import { getDb } from "@/db/client";
import { actorOf, currentUser } from "@/lib/auth/session";
import { InputError, NotFoundError } from "@/lib/errors";
import { ExportBusyError, openBackupExport } from "@/lib/export/backup-zip";
import { attachmentDisposition } from "@/lib/export/file-names";

/** A sealed backup set as a zip (lib/export/backup-zip.ts), streamed as the client reads it. */
export async function GET(request: Request, { params }: { params: Promise<{ tenantId: string; backupId: string }> }) {
  const user = await currentUser();
  if (!user) return new Response("Sign in first.", { status: 401 });
  const { tenantId, backupId } = await params;
  try {
    const { fileName, stream } = await openBackupExport(getDb(), {
      actor: actorOf(user),
      tenantId,
      backupSetId: backupId,
      signal: request.signal,
    });
    return new Response(stream, {
      headers: {
        "content-type": "application/zip",
        "content-disposition": attachmentDisposition(fileName),
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (err) {
    if (err instanceof NotFoundError) return new Response("Not found.", { status: 404 });
    if (err instanceof InputError) return new Response(err.message, { status: 409 });
    if (err instanceof ExportBusyError)
      return new Response(err.message, { status: 429, headers: { "retry-after": "30" } });
    throw err;
  }
}
