// The IPAM address list's view as a link: what its headers sort by and which filters it reads.
// Shared by the page, the tRPC input and the filtered CSV export.

import { z } from "zod";
import { defineTableSpec } from "@/lib/table/url-state";

export const ADDRESS_STATUSES = ["planned", "active", "deprecated", "released"] as const;

const id = z.coerce.number().int().positive().max(2_147_483_647);

export const addressTableSpec = defineTableSpec({
  sortable: ["address", "hostname", "vmid", "mac", "status", "owner", "source"],
  defaultSort: "address",
  defaultDir: "asc",
  filters: {
    status: z.enum(ADDRESS_STATUSES),
    prefix: id,
    vlan: z.coerce.number().int().min(1).max(4094),
    owner: z.string().max(100),
  },
  defaultPageSize: 50,
});

export type AddressTableSort = (typeof addressTableSpec.sortable)[number];
