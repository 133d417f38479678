import { getDb } from "@/db/client";
import { readiness } from "@/lib/health";
import { componentLog } from "@/lib/log";
import { operations } from "@/lib/operations/registry";

export const dynamic = "force-dynamic";

/** Readiness: 200 when this server can serve (database, migrations, queues), 503 with the failing check otherwise. */
export async function GET() {
  const result = await readiness(getDb(), Object.keys(operations)).catch((err: Error) => {
    componentLog("health").error({ err }, "readiness check failed");
    return { ready: false, checks: { error: { ok: false, detail: "the check itself failed; see the server log" } } };
  });
  return Response.json(
    { ok: result.ready, status: result.ready ? "ready" : "not_ready", ...result },
    { status: result.ready ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
