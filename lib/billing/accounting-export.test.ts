import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCsv } from "../csv/format-csv";
import {
  ACCOUNTING_FORMATS,
  addDays,
  formatMinorDecimal,
  formatQuantity,
  formatUsDate,
  NETSUITE_COLUMNS,
  parseMinorDecimal,
  QUICKBOOKS_COLUMNS,
  type AccountingLine,
} from "./accounting-export";

const line = (over: Partial<AccountingLine> = {}): AccountingLine => ({
  invoiceId: 41,
  orgCode: "kumasi-web",
  orgName: 'Kumasi "Web", Ltd',
  currency: "EUR",
  periodStart: "2026-11-01",
  periodEnd: "2026-11-30",
  issuedOn: "2026-12-02",
  position: 1,
  skuCode: "vcpu-hour",
  description: "vCPU hours, 1 to 30 November",
  quantityMilli: 12_500,
  unitPriceMinor: 45,
  amountMinor: 563,
  ...over,
});

describe("QuickBooks Online invoice import", () => {
  it("writes Intuit's headers and one row per line with the invoice's fields repeated", () => {
    const csv = formatCsv(
      QUICKBOOKS_COLUMNS,
      [line(), line({ position: 2, skuCode: "ipv4", description: "IPv4 addresses", quantityMilli: 2000, unitPriceMinor: 300, amountMinor: 600 })].map(
        ACCOUNTING_FORMATS.quickbooks.formatRow,
      ),
    );
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0]!)).toEqual([
      "InvoiceNo",
      "Customer",
      "InvoiceDate",
      "DueDate",
      "Terms",
      "Memo",
      "Item(Product/Service)",
      "ItemDescription",
      "ItemQuantity",
      "ItemRate",
      "ItemAmount",
      "Currency",
      "Service Date",
    ]);
    expect(rows[0]).toMatchObject({
      InvoiceNo: "41",
      Customer: 'Kumasi "Web", Ltd',
      InvoiceDate: "12/02/2026",
      DueDate: "01/01/2027",
      Terms: "Net 30",
      "Item(Product/Service)": "vcpu-hour",
      ItemQuantity: "12.5",
      ItemRate: "0.45",
      ItemAmount: "5.63",
      "Service Date": "11/30/2026",
    });
    expect(rows[1]).toMatchObject({ InvoiceNo: "41", Customer: 'Kumasi "Web", Ltd', ItemQuantity: "2", ItemRate: "3.00", ItemAmount: "6.00" });
  });
});

describe("NetSuite invoice import", () => {
  it("puts the External ID on every line (it groups lines into one invoice) and MM/DD/YYYY dates", () => {
    const csv = formatCsv(
      NETSUITE_COLUMNS,
      [line(), line({ position: 2 }), line({ invoiceId: 42, orgName: "Accra Ltd" })].map(ACCOUNTING_FORMATS.netsuite.formatRow),
    );
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r["External ID"])).toEqual(["sankofa-invoice-41", "sankofa-invoice-41", "sankofa-invoice-42"]);
    expect(rows[0]).toMatchObject({
      Customer: 'Kumasi "Web", Ltd',
      Date: "12/02/2026",
      "Due Date": "01/01/2027",
      Currency: "EUR",
      Item: "vcpu-hour",
      Quantity: "12.5",
      Rate: "0.45",
      Amount: "5.63",
    });
  });

  it("escapes a text cell a spreadsheet would run as a formula, never an amount", () => {
    const csv = formatCsv(NETSUITE_COLUMNS, [ACCOUNTING_FORMATS.netsuite.formatRow(line({ orgName: "=HYPERLINK(1)", amountMinor: -5 }))]);
    const [row] = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(row!.Customer).toBe("'=HYPERLINK(1)");
    expect(row!.Amount).toBe("-0.05");
  });
});

describe("formats", () => {
  it("round-trips every amount through csv-parse in both files", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ amountMinor: fc.integer({ min: 0, max: 10 ** 12 }), description: fc.string(), orgName: fc.string({ minLength: 1 }) }), {
          minLength: 1,
          maxLength: 8,
        }),
        (parts) => {
          const lines = parts.map((p, i) => line({ ...p, position: i + 1 }));
          for (const format of Object.values(ACCOUNTING_FORMATS)) {
            const rows = parse(formatCsv([...format.columns], lines.map(format.formatRow)), { columns: true }) as Array<Record<string, string>>;
            expect(rows.map((r) => parseMinorDecimal(r[format.amountColumn]!))).toEqual(lines.map((l) => l.amountMinor));
          }
        },
      ),
      { seed: 25, numRuns: 100 },
    );
  });

  it("writes days as MM/DD/YYYY and amounts with two decimals", () => {
    expect(formatUsDate("2027-02-28")).toBe("02/28/2027");
    expect(() => formatUsDate("28.02.2027")).toThrow();
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(formatMinorDecimal(5)).toBe("0.05");
    expect(formatMinorDecimal(-1234)).toBe("-12.34");
    expect(formatQuantity(1000)).toBe("1");
    expect(formatQuantity(1250)).toBe("1.25");
    expect(formatQuantity(0)).toBe("0");
  });
});
