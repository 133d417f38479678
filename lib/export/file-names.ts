/**
 * Names inside the export zip and of the zip itself. Policy names come from Intune, where an admin
 * (or an attacker with Intune rights) can type anything: a name must never become a path outside
 * its folder, a hidden file, a control sequence in a terminal's `unzip -l`, or a name too long for
 * a file system. Entries are `<folder>/<name>-<id>.json`, the id keeping two equal names apart.
 */

/** A name's longest part, in characters. */
const MAX_NAME_CHARS = 60;
/**
 * An id's longest part: Graph's ids are ASCII, a GUID or up to ~90 characters (an enrollment
 * configuration's `<guid>_DefaultWindows10EnrollmentCompletionPageConfiguration`), kept whole.
 */
const MAX_ID_CHARS = 100;
/** An entry's file name in bytes of UTF-8: under the 255 most file systems allow, with room for a counter. */
const MAX_FILE_NAME_BYTES = 240;

// Control characters (C0, DEL, C1), and the bidi/zero-width format characters that make a name
// read differently than it is.
const CONTROL_OR_FORMAT = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
// Separators and the characters Windows refuses in a file name.
const RESERVED = /[/\\:*?"<>|]/g;
// Names Windows reserves whatever their extension.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** One path segment made safe: no separators, no control characters, no leading dots, bounded. */
export function safeSegment(raw: string, fallback = "unnamed", maxChars = MAX_NAME_CHARS): string {
  const cleaned = raw
    .normalize("NFC")
    .replace(CONTROL_OR_FORMAT, " ")
    .replace(RESERVED, "_")
    .replace(/\s+/g, " ")
    .trim()
    // No `.`/`..` segment and no hidden file: dots only after the first character.
    .replace(/^[.\s]+/, "");
  // Cut by code points (never half a surrogate pair), then drop trailing dots and spaces (Windows).
  const cut = Array.from(cleaned)
    .slice(0, maxChars)
    .join("")
    .replace(/[.\s]+$/, "");
  if (!cut) return fallback;
  return WINDOWS_DEVICE.test(cut) ? `_${cut}` : cut;
}

/**
 * Gives each item a unique entry name. Keeps every name it handed out, so the caller makes one per
 * export (a 5,000-item set holds 5,000 short strings).
 */
export function entryNamer() {
  const used = new Set<string>();
  return ({ folder, name, id }: { folder: string; name: string; id: string }) => {
    const idPart = safeSegment(id, "item", MAX_ID_CHARS);
    const room = MAX_FILE_NAME_BYTES - Buffer.byteLength(`-${idPart}.json`);
    const base = `${safeSegment(folder, "other")}/${withinBytes(safeSegment(name), room)}-${idPart}`;
    let entry = `${base}.json`;
    for (let n = 2; used.has(entry.toLowerCase()); n++) entry = `${base}-${n}.json`;
    used.add(entry.toLowerCase());
    return entry;
  };
}

/** A safe segment cut (by code points) to at most `bytes` bytes of UTF-8, the id beside it kept whole. */
function withinBytes(segment: string, bytes: number): string {
  const points = Array.from(segment);
  while (points.length && Buffer.byteLength(points.join("")) > bytes) points.pop();
  return points.join("").replace(/[.\s]+$/, "") || "unnamed";
}

/** `2026-11-29T06-20-48Z`: a timestamp that is a valid file name everywhere. */
export const fileTimestamp = (at: Date) =>
  at
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replaceAll(":", "-");

/**
 * `attachment` with an ASCII `filename` for old clients and the exact UTF-8 name as RFC 5987
 * `filename*` (RFC 6266 §4.3: a client that knows `filename*` prefers it).
 */
export function attachmentDisposition(fileName: string): string {
  const ascii =
    fileName
      .normalize("NFKD")
      .replace(/[^\x20-\x7e]/g, "")
      .replace(/["\\%;]/g, "_")
      .trim() || "download";
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The zip's file name: the tenant's name and when the set was taken. */
export const backupZipFileName = ({ tenantName, takenAt }: { tenantName: string; takenAt: Date }) =>
  `${safeSegment(tenantName, "tenant")} backup ${fileTimestamp(takenAt)}.zip`;
