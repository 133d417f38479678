import type { AuditRow } from "./queries";

/**
 * One CSV cell. A value a spreadsheet would read as a formula (= + - @, or a leading tab or carriage
 * return) gets a leading apostrophe; then quotes, commas and line breaks are quoted the RFC 4180 way.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(",")}\r\n`;

export const AUDIT_CSV_HEADER = csvLine([
  "time",
  "actor_kind",
  "actor",
  "tenant_id",
  "action",
  "target_type",
  "target_id",
  "target",
  "outcome",
  "client_address",
  "details",
]);

export function auditCsvLine(row: AuditRow): string {
  return csvLine([
    row.occurredAt.toISOString(),
    row.actorKind,
    row.actorName,
    row.tenantId,
    row.action,
    row.targetType,
    row.targetId,
    row.targetLabel,
    row.outcome,
    row.clientAddress,
    row.details,
  ]);
}
