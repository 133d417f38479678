import { getDb } from "@/db/client";
import { userAuditScope } from "@/lib/audit/access";
import { auditCsvStream, csvResponse } from "@/lib/audit/export";
import { auditFiltersSchema } from "@/lib/audit/queries";
import { currentUser } from "@/lib/auth/session";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user) return new Response("Sign in first.", { status: 401 });
  const db = getDb();
  const { scope } = await userAuditScope(db, user.id);
  const filters = auditFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return csvResponse(auditCsvStream(db, { scope, filters }), "audit.csv");
}
