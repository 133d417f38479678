import { prettyFactory } from "pino-pretty";

/**
 * Human formatting for `npm start`'s terminal. The web server and the worker always write JSON
 * lines (lib/log.ts), so their output stays machine-readable wherever they run; only the
 * supervising process, which owns the terminal, turns them into one readable line each. Lines that
 * are not pino JSON (Next.js's own banner, a stack trace) pass through unchanged.
 */
export function lineFormatter({ colorize }: { colorize: boolean }) {
  const pretty = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: "SYS:HH:MM:ss",
    ignore: "pid,hostname,component",
    messageFormat: "{if component}[{component}] {end}{msg}",
  });
  let pending = "";
  /** Feeds a chunk of a child's output; returns the formatted complete lines it held. */
  return (chunk: string): string => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    return lines.map((line) => formatLine(pretty, line)).join("");
  };
}

function formatLine(pretty: (input: unknown) => string, line: string): string {
  if (!line.startsWith("{")) return `${line}\n`;
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    if (typeof record.level !== "number" || !("msg" in record)) return `${line}\n`;
    return pretty(record);
  } catch {
    return `${line}\n`;
  }
}
