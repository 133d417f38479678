import { getDb } from "@/db/client";
import { tenantAuditScope } from "@/lib/audit/access";
import { auditCsvStream, csvResponse } from "@/lib/audit/export";
import { auditFiltersSchema } from "@/lib/audit/queries";
import { currentUser } from "@/lib/auth/session";
import { ForbiddenError, NotFoundError } from "@/lib/errors";

export async function GET(request: Request, { params }: { params: Promise<{ tenantId: string }> }) {
  const user = await currentUser();
  if (!user) return new Response("Sign in first.", { status: 401 });
  const { tenantId } = await params;
  const db = getDb();
  try {
    const scope = await tenantAuditScope(db, { userId: user.id, tenantId });
    const filters = auditFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
    return csvResponse(auditCsvStream(db, { scope, filters }), `audit-${tenantId}.csv`);
  } catch (err) {
    if (err instanceof NotFoundError) return new Response("Not found.", { status: 404 });
    if (err instanceof ForbiddenError) return new Response(err.message, { status: 403 });
    throw err;
  }
}
