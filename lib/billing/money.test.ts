import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeInvoice, computeLineAmount, formatMilli, parseMilli } from "./money";

describe("computeLineAmount", () => {
  it("multiplies thousandths by minor units and rounds half away from zero", () => {
    expect(computeLineAmount(12_500, 199)).toBe(2488); // 12.5 h × 1.99 = 24.875 → 24.88
    expect(computeLineAmount(1_000, 2999)).toBe(2999);
    expect(computeLineAmount(333, 1)).toBe(0); // 0.333 cent
    expect(computeLineAmount(500, 1)).toBe(1); // half a cent rounds up
    expect(computeLineAmount(-500, 1)).toBe(-1); // and a credit's half cent rounds down
    expect(computeLineAmount(-1_000, 2999)).toBe(-2999);
  });

  it("stays exact where floating point would not", () => {
    // 0.1 × 3 in floats is 0.30000000000000004; in thousandths × cents it is exact.
    expect(computeLineAmount(100, 300)).toBe(30);
    expect(computeLineAmount(9_007_199_254, 1_000)).toBe(9_007_199_254);
  });
});

describe("computeInvoice", () => {
  it("totals the rounded lines, numbering them in order, credits included", () => {
    const inv = computeInvoice([
      { skuId: 1, description: "CPU hours", quantityMilli: 720_000, unitPriceMinor: 2 },
      { skuId: 2, description: "RAM GB-hours", quantityMilli: 1_536_333, unitPriceMinor: 1 },
      { skuId: 3, description: "Windows Server seats", quantityMilli: 3_000, unitPriceMinor: 2_350 },
      { skuId: null, description: "Credit: outage 2026-11-03", quantityMilli: -1_000, unitPriceMinor: 500 },
    ]);
    expect(inv.lines.map((l) => [l.position, l.amountMinor])).toEqual([
      [1, 1440],
      [2, 1536],
      [3, 7050],
      [4, -500],
    ]);
    expect(inv.totalMinor).toBe(1440 + 1536 + 7050 - 500);
  });

  it("always equals the sum of its lines", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ q: fc.integer({ min: -1e9, max: 1e9 }), p: fc.nat(1e6) }), { maxLength: 50 }), (rows) => {
        const inv = computeInvoice(rows.map((r) => ({ skuId: null, description: "x", quantityMilli: r.q, unitPriceMinor: r.p })));
        expect(inv.totalMinor).toBe(inv.lines.reduce((s, l) => s + l.amountMinor, 0));
      }),
      { seed: 1501 },
    );
  });
});

describe("quantities as text", () => {
  it("formats and parses thousandths both ways", () => {
    expect(formatMilli(12_500)).toBe("12.500");
    expect(formatMilli(-7)).toBe("-0.007");
    expect(parseMilli("12.5")).toBe(12_500);
    expect(parseMilli("-0.007")).toBe(-7);
    expect(() => parseMilli("1.2345")).toThrow("at most 3 decimals");
    expect(() => parseMilli("1e3")).toThrow("quantity");
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (q) => {
        expect(parseMilli(formatMilli(q))).toBe(q);
      }),
      { seed: 1502 },
    );
  });
});
