import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertQuoteTransition,
  describeQuoteDocument,
  formatQuoteCsvRows,
  isQuoteExpired,
  licencesOnAccept,
  priceQuote,
  QUOTE_STATUSES,
  QUOTE_TRANSITIONS,
  type QuoteDocument,
  type QuoteSku,
  type QuoteStatus,
} from "./quotes";

const skus = new Map<number, QuoteSku>([
  [1, { id: 1, code: "seat", name: "Console seat", kind: "licence", unit: "seat", unitPriceMinor: 2500, currency: "EUR", isActive: true }],
  [2, { id: 2, code: "vcpu-hour", name: "vCPU hour", kind: "infra", unit: "h", unitPriceMinor: 45, currency: "EUR", isActive: true }],
  [3, { id: 3, code: "old", name: "Old", kind: "infra", unit: "h", unitPriceMinor: 1, currency: "EUR", isActive: false }],
]);

describe("priceQuote", () => {
  it("prices each line at its SKU's price and totals the rounded lines", () => {
    const { lines, totalMinor } = priceQuote(
      "EUR",
      [
        { skuId: 1, quantityMilli: 3000 },
        { skuId: 2, quantityMilli: 10_500, description: "  estimate " },
      ],
      skus,
    );
    expect(lines).toEqual([
      { position: 1, skuId: 1, description: "Console seat", quantityMilli: 3000, unitPriceMinor: 2500, amountMinor: 7500 },
      { position: 2, skuId: 2, description: "estimate", quantityMilli: 10_500, unitPriceMinor: 45, amountMinor: 473 },
    ]);
    expect(totalMinor).toBe(7973);
  });

  it("refuses another currency, an inactive or unknown SKU, part seats and empty quotes", () => {
    expect(() => priceQuote("USD", [{ skuId: 1, quantityMilli: 1000 }], skus)).toThrow("priced in EUR");
    expect(() => priceQuote("EUR", [{ skuId: 3, quantityMilli: 1000 }], skus)).toThrow("not sold");
    expect(() => priceQuote("EUR", [{ skuId: 9, quantityMilli: 1000 }], skus)).toThrow("does not exist");
    expect(() => priceQuote("EUR", [{ skuId: 1, quantityMilli: 1500 }], skus)).toThrow("whole seats");
    expect(() => priceQuote("EUR", [{ skuId: 2, quantityMilli: 0 }], skus)).toThrow("more than 0");
    expect(() => priceQuote("EUR", [], skus)).toThrow("at least one line");
  });

  it("never gives a negative amount, and the total is the sum of the lines", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ skuId: fc.constantFrom(1, 2), n: fc.integer({ min: 1, max: 10 ** 6 }) }), { minLength: 1, maxLength: 10 }), (rows) => {
        const { lines, totalMinor } = priceQuote(
          "EUR",
          rows.map((r) => ({ skuId: r.skuId, quantityMilli: r.n * 1000 })),
          skus,
        );
        expect(lines.every((l) => l.amountMinor >= 0)).toBe(true);
        expect(lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(totalMinor);
      }),
      { seed: 8, numRuns: 200 },
    );
  });
});

describe("status and validity", () => {
  it("moves draft → sent → accepted/declined/expired and nowhere from a final state", () => {
    const allowed = (from: QuoteStatus, to: QuoteStatus) => {
      try {
        assertQuoteTransition(1, from, to);
        return true;
      } catch {
        return false;
      }
    };
    const pairs = QUOTE_STATUSES.flatMap((from) => QUOTE_STATUSES.filter((to) => allowed(from, to)).map((to) => `${from}→${to}`));
    expect(pairs).toEqual(["draft→sent", "draft→expired", "draft→declined", "sent→accepted", "sent→expired", "sent→declined"]);
    expect(QUOTE_TRANSITIONS.accepted).toEqual([]);
  });

  it("is valid through its last day (UTC), expired from the next", () => {
    expect(isQuoteExpired("2027-01-31", new Date("2027-01-31T23:59:59.999Z"))).toBe(false);
    expect(isQuoteExpired("2027-01-31", new Date("2027-02-01T00:00:00Z"))).toBe(true);
  });
});

describe("licencesOnAccept", () => {
  it("is one licence per licence line, in seats; infra (metered) lines create nothing", () => {
    const lines = [
      { skuCode: "win-std", kind: "licence", quantityMilli: 3000 },
      { skuCode: "cpu", kind: "infra", quantityMilli: 2500 },
      { skuCode: "rdp", kind: "licence", quantityMilli: 1000 },
    ];
    expect(licencesOnAccept(lines).map((l) => [l.skuCode, l.seats])).toEqual([
      ["win-std", 3],
      ["rdp", 1],
    ]);
    expect(licencesOnAccept([])).toEqual([]);
  });
});

describe("documents", () => {
  const q: QuoteDocument = {
    id: 42,
    orgCode: "acme",
    orgName: "Acme",
    currency: "EUR",
    status: "sent",
    validUntil: "2027-01-31",
    createdAt: new Date("2027-01-02T10:00:00Z"),
    sentAt: new Date("2027-01-03T10:00:00Z"),
    note: null,
    totalMinor: 7973,
    lines: [
      {
        position: 1,
        skuId: 1,
        skuCode: "seat",
        unit: "seat",
        description: "Console seat",
        quantityMilli: 3000,
        unitPriceMinor: 2500,
        amountMinor: 7500,
        licenceId: null,
      },
      {
        position: 2,
        skuId: 2,
        skuCode: "vcpu-hour",
        unit: "h",
        description: "=estimate",
        quantityMilli: 10_500,
        unitPriceMinor: 45,
        amountMinor: 473,
        licenceId: null,
      },
    ],
  };
  it("say the same figures in the CSV and the PDF's text", () => {
    const text = describeQuoteDocument(q);
    expect(text.title).toBe("Quote Q-00042");
    expect(text.facts).toContainEqual(["Valid until (UTC, inclusive)", "2027-01-31"]);
    expect(text.rows.map((r) => r[5])).toEqual(["75.00 EUR", "4.73 EUR"]);
    expect(text.total).toBe("79.73 EUR");
    const rows = formatQuoteCsvRows(q);
    expect(rows.map((r) => r[12])).toEqual([7500, 473]);
    expect(rows[0]!.slice(0, 7)).toEqual(["billing-quote/1", "Q-00042", "acme", "Acme", "sent", "2027-01-31", 1]);
  });
});
