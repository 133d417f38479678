import { getDb } from "@/db/client";
import { csvResponse } from "@/lib/audit/export";
import { currentUser } from "@/lib/auth/session";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { groupAssignmentsCsv, policyTargetsCsv } from "@/lib/explorer/csv";
import { explorerSelectionSchema, readExplorerView } from "@/lib/explorer/view";

/** The explorer's current view as CSV (the group's or the policy's), with the page's authorization. */
export async function GET(request: Request, { params }: { params: Promise<{ tenantId: string }> }) {
  const user = await currentUser();
  if (!user) return new Response("Sign in first.", { status: 401 });
  const { tenantId } = await params;
  const url = new URL(request.url);
  const { group, policy } = explorerSelectionSchema.parse(Object.fromEntries(url.searchParams));
  try {
    const view = await readExplorerView(getDb(), {
      userId: user.id,
      tenantId,
      selection: group ? { group } : policy ? { policy } : {},
      limit: 100_000,
    });
    // Nothing picked: the group view's columns and no rows.
    const body = view.group
      ? groupAssignmentsCsv(view.group.rows)
      : view.policy
        ? policyTargetsCsv(view.policy.targets)
        : group || policy
          ? null
          : groupAssignmentsCsv([]);
    if (body === null) return new Response("Not found.", { status: 404 });
    const name = group ? `group-${group}` : policy ? `policy-${policy}` : "none";
    return csvResponse(new Blob([body]).stream(), `assignments-${name}.csv`);
  } catch (err) {
    if (err instanceof NotFoundError) return new Response("Not found.", { status: 404 });
    if (err instanceof ForbiddenError) return new Response(err.message, { status: 403 });
    throw err;
  }
}
