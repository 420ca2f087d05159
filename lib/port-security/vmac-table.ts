// The virtual MACs page's two lists as links: the VMACs (plain params, so `?q=` links keep working)
// and their events log (prefixed `events.`).

import { z } from "zod";
import { defineTableSpec, utcDateParam } from "@/lib/table/url-state";

/** Absent means active: the page always listed only VMACs not yet released. */
export const VMAC_STATES = ["active", "released", "all"] as const;
export const VMAC_EVENT_KINDS = ["created", "released"] as const;

const id = z.coerce.number().int().positive().max(2_147_483_647);

export const vmacTableSpec = defineTableSpec({
  sortable: ["ip", "mac", "server", "created", "released"],
  defaultSort: "created",
  defaultDir: "desc",
  filters: { state: z.enum(VMAC_STATES), server: id, from: utcDateParam, to: utcDateParam },
  defaultPageSize: 50,
});
export type VmacTableSort = (typeof vmacTableSpec.sortable)[number];

export const vmacEventTableSpec = defineTableSpec({
  sortable: ["at", "kind", "ip", "server", "actor"],
  defaultSort: "at",
  defaultDir: "desc",
  filters: { kind: z.enum(VMAC_EVENT_KINDS), server: id, actor: z.string().max(200), from: utcDateParam, to: utcDateParam },
  pageSizes: [10, 25, 50, 100],
  defaultPageSize: 25,
  paramPrefix: "events",
});
export type VmacEventTableSort = (typeof vmacEventTableSpec.sortable)[number];
