import { stringify } from "csv-stringify/sync";
import { escapeSpreadsheetFormula } from "./escape-formula";

export type CsvCell = string | number;

/**
 * A CSV file with a header: the one way we write CSV. Every string cell is escaped against
 * spreadsheet formulas (see ./escape-formula.ts); numbers are written as they are (a negative
 * number is data, and our numeric columns are IDs and VLAN numbers that cannot be negative).
 */
export function formatCsv(columns: string[], rows: CsvCell[][]): string {
  return stringify(rows, { header: true, columns, cast: { string: (value) => escapeSpreadsheetFormula(value) } });
}
