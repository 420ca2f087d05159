// The licences page's list as a link: one table over every org (the org is a column and a filter).

import { z } from "zod";
import { defineTableSpec } from "@/lib/table/url-state";

export const LICENCE_STATUSES = ["active", "trialing", "past_due", "expired", "revoked"] as const;
/** The "expiring soon" window of lib/billing/seats (isExpiringSoon's default). */
export const EXPIRING_DAYS = 30;

export const licenceTableSpec = defineTableSpec({
  sortable: ["org", "sku", "id", "seats", "validTo", "status"],
  defaultSort: "org",
  defaultDir: "asc",
  filters: {
    status: z.enum(LICENCE_STATUSES),
    org: z.string().max(100),
    sku: z.string().max(100),
    flag: z.enum(["over-used", "expiring"]),
    source: z.enum(["stripe", "manual"]),
  },
  defaultPageSize: 50,
});
export type LicenceTableSort = (typeof licenceTableSpec.sortable)[number];
