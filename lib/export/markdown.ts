/**
 * The export's Markdown document: the whole backup set readable without the console. Everything in
 * it that came from Intune goes through `inline` or `cell`, so a policy name or a setting value can
 * neither break a table (a pipe or a newline), open a code span (a backtick), nor become a link,
 * an image or HTML.
 */

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// The characters with inline meaning in CommonMark/GFM (emphasis, code, links, images, HTML,
// entities, strikethrough, table cells); a backslash escapes any of them.
const INLINE_SYNTAX = /[\\`*_[\]<>|~&!#]/g;

/** Text on one line (a heading, a list item): escaped, line breaks become spaces. */
export const inline = (text: string) =>
  text
    .replace(CONTROL, "")
    .replace(INLINE_SYNTAX, "\\$&")
    .replace(/\r\n|\r|\n|\t/g, " ");

/** Text in a table cell: escaped, line breaks kept as `<br>` (a raw newline would end the row). */
export const cell = (text: string) =>
  text
    .replace(CONTROL, "")
    .replace(INLINE_SYNTAX, "\\$&")
    .replace(/\r\n|\r|\n/g, "<br>")
    .replace(/\t/g, " ");

export function table(header: string[], rows: string[][]): string {
  if (!rows.length) return "_None._\n";
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |\n`;
  return line(header) + `|${header.map(() => " --- ").join("|")}|\n` + rows.map(line).join("");
}

/** A value as one readable string: scalars as they are, anything else as compact JSON. */
export function display(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
