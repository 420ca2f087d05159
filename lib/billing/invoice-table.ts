// The billing page's invoices (of the month the page shows) as a link. Prefixed (`invoices.sort`…):
// the page's own `month`, `meter`, `by` and `invoice` params drive the usage chart and the open invoice.

import { z } from "zod";
import { defineTableSpec } from "@/lib/table/url-state";

export const INVOICE_STATUSES = ["draft", "issued", "paid", "void"] as const;

export const invoiceTableSpec = defineTableSpec({
  // `org` first: the order the invoices CSV always had (org code, then invoice number).
  sortable: ["org", "id", "status", "total", "issued"],
  defaultSort: "org",
  defaultDir: "asc",
  filters: {
    status: z.enum(INVOICE_STATUSES),
    org: z.string().max(100),
    currency: z.string().regex(/^[A-Za-z]{3}$/, "a three-letter currency code"),
    kind: z.enum(["invoice", "credit-note"]),
    payment: z.enum(["failed"]),
  },
  defaultPageSize: 50,
  paramPrefix: "invoices",
});
export type InvoiceTableSort = (typeof invoiceTableSpec.sortable)[number];
