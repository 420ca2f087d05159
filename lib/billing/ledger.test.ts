import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkInvoiceMoney, classifyPayment, computeLedger, deriveStatus, matchStripeMoney, type InvoiceForMatch } from "./ledger";

const issued: InvoiceForMatch = {
  id: 7,
  status: "issued",
  currency: "USD",
  totalMinor: 7500,
  creditedMinor: 0,
  correctsInvoiceId: null,
  orgStripeCustomerId: "cus_a",
};

describe("matchStripeMoney", () => {
  it("accepts the invoice's own customer and currency (Stripe's lower case), and says why it refuses anything else", () => {
    expect(matchStripeMoney(issued, { customer: "cus_a", currency: "usd", amountMinor: 7400 }, "payment")).toEqual({ ok: true });
    expect(matchStripeMoney(issued, { customer: "cus_a", currency: "eur", amountMinor: 7500 }, "payment")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("EUR"),
    });
    expect(matchStripeMoney(issued, { customer: "cus_b", currency: "usd", amountMinor: 7500 }, "payment")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("cus_b"),
    });
    for (const status of ["draft", "void"] as const)
      expect(matchStripeMoney({ ...issued, status }, { customer: "cus_a", currency: "usd", amountMinor: 7500 }, "payment")).toMatchObject({
        ok: false,
        reason: expect.stringContaining(status),
      });
    expect(matchStripeMoney({ ...issued, orgStripeCustomerId: null }, { customer: "cus_a", currency: "usd", amountMinor: 1 }, "refund")).toMatchObject({
      ok: false,
    });
  });
});

describe("payments and status", () => {
  it("classifies a payment against what is due, and is paid only when covered", () => {
    expect([classifyPayment(7500, 7400), classifyPayment(7500, 7500), classifyPayment(7500, 7600)]).toEqual(["partial", "exact", "over"]);
    expect(deriveStatus({ status: "issued", totalMinor: 7500, creditedMinor: 0 }, 7400)).toBe("issued");
    expect(deriveStatus({ status: "issued", totalMinor: 7500, creditedMinor: 100 }, 7400)).toBe("paid");
    expect(deriveStatus({ status: "paid", totalMinor: 7500, creditedMinor: 0 }, 0)).toBe("issued");
  });
});

describe("computeLedger", () => {
  it("balance = issued − credited − paid, counting only issued or paid invoices, over any set of invoices", () => {
    const inv = fc.record({
      status: fc.constantFrom("draft", "issued", "paid", "void"),
      correctsInvoiceId: fc.option(fc.nat(), { nil: null }),
      totalMinor: fc.integer({ min: -1e6, max: 1e6 }),
      creditedMinor: fc.nat({ max: 1e6 }),
      paidMinor: fc.integer({ min: -1e6, max: 1e6 }),
    });
    fc.assert(
      fc.property(fc.array(inv), (invoices) => {
        const l = computeLedger(invoices);
        expect(l.balanceMinor).toBe(l.issuedMinor - l.creditedMinor - l.paidMinor);
        const counted = invoices.filter((i) => i.correctsInvoiceId === null && (i.status === "issued" || i.status === "paid"));
        expect(l.issuedMinor).toBe(counted.reduce((s, i) => s + i.totalMinor, 0));
      }),
    );
  });
});

describe("checkInvoiceMoney", () => {
  const ok = {
    id: 1,
    status: "paid" as const,
    correctsInvoiceId: null,
    totalMinor: 1000,
    creditedMinor: 100,
    paidMinor: 900,
    linesSumMinor: 1000,
    paymentsMinor: 950,
    refundsMinor: 50,
    stripeCreditsMinor: 0,
    creditNotesMinor: 100,
    hasMismatchedPayment: false,
  };
  it("finds nothing when every figure adds up, and names each one that does not", () => {
    expect(checkInvoiceMoney(ok)).toEqual([]);
    expect(checkInvoiceMoney({ ...ok, linesSumMinor: 999 })).toEqual([expect.stringContaining("lines add up to 999")]);
    expect(checkInvoiceMoney({ ...ok, refundsMinor: 0 })).toEqual([expect.stringContaining("payments 950 less refunds 0")]);
    expect(checkInvoiceMoney({ ...ok, creditNotesMinor: 0 })).toEqual([expect.stringContaining("credited 100")]);
    expect(checkInvoiceMoney({ ...ok, hasMismatchedPayment: true })).toEqual([expect.stringContaining("did not match")]);
  });
});
