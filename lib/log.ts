import pino, { type Logger } from "pino";
import { logLevel } from "@/lib/env";

export type { Logger };

/**
 * The one logger of every server process (web server, worker): one JSON object per line on stdout,
 * so a log shipper can index run, tenant and job ids without parsing prose. Humans read it through
 * `npm start`, which formats the lines of its children (scripts/log-format.ts). Components take a
 * child (`log.child({ component: "reaper" })`); a job's lines carry its runId, tenantId and jobId.
 *
 * Credentials never belong in a log line; the redaction is a second line of defence for an error
 * object or a request that carries one by accident.
 */
export const log: Logger = pino({
  level: logLevel(),
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: {
    paths: [
      "*.authorization",
      "*.Authorization",
      "*.headers.authorization",
      "*.accessToken",
      "*.access_token",
      "*.refresh_token",
      "*.clientSecret",
      "*.client_secret",
      "*.password",
    ],
    censor: "[redacted]",
  },
  serializers: { err: pino.stdSerializers.errWithCause },
});

/** A component's logger: every line names where it came from. */
export const componentLog = (component: string, bindings: Record<string, unknown> = {}): Logger =>
  log.child({ component, ...bindings });
