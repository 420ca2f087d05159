// Prices in force then (issue 25, point 3): an invoice for a past period is priced with the prices
// that applied on its days, from the history the database keeps (billing_sku_prices), never with
// today's catalogue.

export interface SkuPrice {
  skuId: number;
  /** First UTC day (YYYY-MM-DD) this price applies; `-infinity` for a SKU's first price. */
  validFrom: string;
  unitPriceMinor: number;
  currency: string;
}

const startOf = (p: SkuPrice) => (p.validFrom === "-infinity" ? "" : p.validFrom);

/** The price of a SKU on a UTC day: the newest history row starting on or before it, else null. */
export function findPriceInForce(prices: readonly SkuPrice[], skuId: number, day: string): SkuPrice | null {
  let best: SkuPrice | null = null;
  for (const p of prices) {
    if (p.skuId !== skuId || startOf(p) > day) continue;
    if (!best || startOf(p) > startOf(best)) best = p;
  }
  return best;
}

export interface DailyUsage {
  orgId: number;
  meter: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  quantityMilli: number;
}

export interface PricedUsage {
  orgId: number;
  skuId: number;
  /** First and last day of the usage this price covers. */
  from: string;
  to: string;
  quantityMilli: number;
  unitPriceMinor: number;
  currency: string;
}

/**
 * Each day's usage of a meter priced for every SKU metering it, with the price in force that day;
 * days at one price are summed into one entry (one invoice line per price a period saw). Ordered by
 * org, SKU, first day.
 */
export function priceDailyUsage(
  usage: readonly DailyUsage[],
  skus: ReadonlyArray<{ id: number; meter: string | null }>,
  prices: readonly SkuPrice[],
): PricedUsage[] {
  const out = new Map<string, PricedUsage>();
  for (const u of usage) {
    for (const sku of skus) {
      if (sku.meter !== u.meter) continue;
      const price = findPriceInForce(prices, sku.id, u.day);
      if (!price) throw new Error(`SKU ${sku.id} has no price in force on ${u.day}`);
      const key = `${u.orgId}|${sku.id}|${price.validFrom}`;
      const seen = out.get(key);
      if (seen) {
        seen.quantityMilli += u.quantityMilli;
        if (u.day < seen.from) seen.from = u.day;
        if (u.day > seen.to) seen.to = u.day;
      } else
        out.set(key, {
          orgId: u.orgId,
          skuId: sku.id,
          from: u.day,
          to: u.day,
          quantityMilli: u.quantityMilli,
          unitPriceMinor: price.unitPriceMinor,
          currency: price.currency,
        });
    }
  }
  return [...out.values()].sort((a, b) => a.orgId - b.orgId || a.skuId - b.skuId || a.from.localeCompare(b.from));
}
