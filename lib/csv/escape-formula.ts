// OWASP "CSV injection": a spreadsheet that opens one of our exports treats a cell starting with
// `=`, `+`, `-`, `@`, tab or carriage return as a formula (`=HYPERLINK(…)` sends data away, DDE
// formulas run commands), and hostnames, descriptions and notes are typed by users or imported.
// Such a cell gets a leading `'`, which spreadsheets read as "this is text".
//
// Every CSV export goes through `formatCsv` (./format-csv.ts), which applies this to every string
// cell; a future export must too, never `csv-stringify` directly.

const FORMULA_START = new Set(["=", "+", "-", "@", "\t", "\r"]);

/** `value`, prefixed with `'` when a spreadsheet would read it as a formula. */
export function escapeSpreadsheetFormula(value: string): string {
  return FORMULA_START.has(value.charAt(0)) ? `'${value}` : value;
}

/** The inverse, for our own imports: a cell we escaped on export (`'` + a formula start) comes back as it was. */
export function unescapeSpreadsheetFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.has(value.charAt(1)) ? value.slice(1) : value;
}
