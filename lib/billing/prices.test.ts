import { describe, expect, it } from "vitest";
import { findPriceInForce, priceDailyUsage, type SkuPrice } from "./prices";

const prices: SkuPrice[] = [
  { skuId: 1, validFrom: "-infinity", unitPriceMinor: 100, currency: "USD" },
  { skuId: 1, validFrom: "2026-06-15", unitPriceMinor: 200, currency: "USD" },
  { skuId: 2, validFrom: "-infinity", unitPriceMinor: 7, currency: "EUR" },
];

describe("findPriceInForce", () => {
  it("takes the newest price that had started on the day", () => {
    expect(findPriceInForce(prices, 1, "2020-01-01")?.unitPriceMinor).toBe(100);
    expect(findPriceInForce(prices, 1, "2026-06-14")?.unitPriceMinor).toBe(100);
    expect(findPriceInForce(prices, 1, "2026-06-15")?.unitPriceMinor).toBe(200);
    expect(findPriceInForce(prices, 1, "2026-12-06")?.unitPriceMinor).toBe(200);
    expect(findPriceInForce(prices, 3, "2026-12-06")).toBeNull();
  });
});

describe("priceDailyUsage", () => {
  it("splits a period at a price change and sums the days at each price", () => {
    const usage = Array.from({ length: 30 }, (_, i) => ({
      orgId: 9,
      meter: "ipv4_count",
      day: `2026-06-${String(i + 1).padStart(2, "0")}`,
      quantityMilli: 1000,
    }));
    expect(priceDailyUsage(usage, [{ id: 1, meter: "ipv4_count" }], prices)).toEqual([
      { orgId: 9, skuId: 1, from: "2026-06-01", to: "2026-06-14", quantityMilli: 14_000, unitPriceMinor: 100, currency: "USD" },
      { orgId: 9, skuId: 1, from: "2026-06-15", to: "2026-06-30", quantityMilli: 16_000, unitPriceMinor: 200, currency: "USD" },
    ]);
  });
  it("prices a meter for every SKU that meters it, and refuses a day no price covers", () => {
    const usage = [{ orgId: 1, meter: "cpu_hours", day: "2026-06-01", quantityMilli: 500 }];
    expect(
      priceDailyUsage(
        usage,
        [
          { id: 2, meter: "cpu_hours" },
          { id: 1, meter: "ram_gb_hours" },
        ],
        prices,
      ),
    ).toHaveLength(1);
    expect(() => priceDailyUsage(usage, [{ id: 3, meter: "cpu_hours" }], prices)).toThrow("SKU 3 has no price in force on 2026-06-01");
  });
});
