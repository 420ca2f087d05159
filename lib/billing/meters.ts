/** What we meter; a SKU without a meter is a flat licence priced per seat and period. */
export const BILLING_METERS = ["cpu_hours", "ram_gb_hours", "storage_gb_days", "ipv4_count", "bandwidth_p95_mbps"] as const;
export type BillingMeter = (typeof BILLING_METERS)[number];
