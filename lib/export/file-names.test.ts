import { describe, expect, it } from "vitest";
import { attachmentDisposition, backupZipFileName, entryNamer, fileTimestamp, safeSegment } from "./file-names";

describe("export file names", () => {
  it("makes any policy name one safe path segment", () => {
    expect(safeSegment("../../etc/passwd")).toBe("_.._etc_passwd");
    expect(safeSegment("..")).toBe("unnamed");
    expect(safeSegment(".hidden")).toBe("hidden");
    expect(safeSegment('a\\b/c:d*e?f"g<h>i|j')).toBe("a_b_c_d_e_f_g_h_i_j");
    expect(safeSegment("tab\tnew\nline\u0000nul\u001b[31m\u202eexe")).toBe("tab new line nul [31m exe");
    expect(safeSegment("   ")).toBe("unnamed");
    expect(safeSegment("CON")).toBe("_CON");
    expect(safeSegment("trailing dots...")).toBe("trailing dots");
    expect(Array.from(safeSegment("🚀".repeat(100)))).toHaveLength(60); // never half a surrogate pair
    expect(safeSegment("x".repeat(1000))).toHaveLength(60);
  });

  it("keeps equal names apart by id, and equal ids apart by a counter", () => {
    const name = entryNamer();
    expect(name({ folder: "compliance", name: "A/B", id: "1" })).toBe("compliance/A_B-1.json");
    expect(name({ folder: "compliance", name: "A/B", id: "2" })).toBe("compliance/A_B-2.json");
    expect(name({ folder: "compliance", name: "A/B", id: "1" })).toBe("compliance/A_B-1-2.json");
    expect(name({ folder: "compliance", name: "a/b", id: "1" })).toBe("compliance/a_b-1-3.json"); // case-insensitive file systems
    expect(name({ folder: "../x", name: "n", id: "../y" })).toBe("_x/n-_y.json");
  });

  it("keeps a long Graph id whole, and a file name under 255 bytes whatever the name's characters", () => {
    const name = entryNamer();
    const id = "0f1e2d3c-0000-4000-8000-000000000001_DefaultWindows10EnrollmentCompletionPageConfiguration";
    expect(name({ folder: "enrollment", name: "All users and all devices", id })).toBe(
      `enrollment/All users and all devices-${id}.json`,
    );
    const wide = name({ folder: "enrollment", name: "🚀".repeat(100), id });
    expect(wide.endsWith(`-${id}.json`)).toBe(true);
    expect(Buffer.byteLength(wide.split("/")[1]!)).toBeLessThanOrEqual(240);
    expect(wide).toMatch(/^enrollment\/(🚀)+-/u);
  });

  it("names the zip with the tenant and the set's time, with an ASCII fallback and the exact UTF-8 name", () => {
    const at = new Date("2026-11-29T06:20:48.123Z");
    expect(fileTimestamp(at)).toBe("2026-11-29T06-20-48Z");
    const file = backupZipFileName({ tenantName: 'Zürich "AG"; x/y', takenAt: at });
    expect(file).toBe("Zürich _AG_; x_y backup 2026-11-29T06-20-48Z.zip");
    expect(attachmentDisposition(file)).toBe(
      "attachment; " +
        'filename="Zurich _AG__ x_y backup 2026-11-29T06-20-48Z.zip"; ' +
        "filename*=UTF-8''Z%C3%BCrich%20_AG_%3B%20x_y%20backup%202026-11-29T06-20-48Z.zip",
    );
    expect(attachmentDisposition("東京.zip")).toMatch(
      /^attachment; filename=".zip"; filename\*=UTF-8''%E6%9D%B1%E4%BA%AC\.zip$/,
    );
    expect(attachmentDisposition("a\r\nSet-Cookie: x")).not.toMatch(/[\r\n]/);
  });
});
