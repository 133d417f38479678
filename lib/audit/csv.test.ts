import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv";

describe("csvCell", () => {
  it("defuses what a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("http://evil.example")')).toBe('"\'=HYPERLINK(""http://evil.example"")"');
    expect(csvCell("+1+2")).toBe("'+1+2");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
  });

  it("quotes commas, quotes and line breaks; leaves plain text and empties alone", () => {
    expect(csvCell("Contoso, Ltd")).toBe('"Contoso, Ltd"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("run.start")).toBe("run.start");
    expect(csvCell(null)).toBe("");
    expect(csvCell({ joined: true })).toBe('"{""joined"":true}"');
  });

  it("ends a line with CRLF", () => {
    expect(csvLine(["a", "=b"])).toBe("a,'=b\r\n");
  });
});
