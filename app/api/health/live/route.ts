export const dynamic = "force-dynamic";

/** Liveness: the process answers. No database, so an outage does not make an orchestrator restart every server. */
export function GET() {
  return Response.json(
    { status: "live", uptimeSeconds: Math.round(process.uptime()) },
    { headers: { "cache-control": "no-store" } },
  );
}
