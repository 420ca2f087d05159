import { stringify } from "csv-stringify/sync";
import { escapeSpreadsheetFormula } from "./escape-formula";

/** A number written as given (`"12.50"`: decimals kept), never formula-escaped. */
export interface CsvDecimal {
  decimal: string;
}
export type CsvCell = string | number | CsvDecimal;

/** A decimal cell: a number as text with its decimals (accounting imports want `12.50`, not `12.5`). */
export function decimalCell(text: string): CsvDecimal {
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a decimal number: ${text}`);
  return { decimal: text };
}

/** csv-stringify's casts: strings escaped against formulas, decimals written as they are. */
export const CSV_CAST = {
  string: (value: string) => escapeSpreadsheetFormula(value),
  object: (value: object) => (value as CsvDecimal).decimal,
};

/**
 * csv-stringify quotes a field holding the record delimiter (`\r\n`), not one holding a bare CR
 * or LF; RFC 4180 §2.6 quotes those too (and Postgres's formatting of the usage export does).
 */
export const CSV_QUOTED_MATCH = /[\r\n]/;

/**
 * A CSV file with a header: the one way we write CSV. Every string cell is escaped against
 * spreadsheet formulas (see ./escape-formula.ts); numbers are written as they are (a negative
 * number is data, and our numeric columns are IDs and VLAN numbers that cannot be negative).
 */
export function formatCsv(columns: string[], rows: CsvCell[][]): string {
  return stringify(rows, { header: true, columns, cast: CSV_CAST, quoted_match: CSV_QUOTED_MATCH });
}
