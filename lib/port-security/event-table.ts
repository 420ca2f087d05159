// The port-security events list's view as a link (server, outcome, action, switch, received between).

import { z } from "zod";
import { defineTableSpec, utcDateParam } from "@/lib/table/url-state";

export const EVENT_STATUSES = ["received", "queued", "skipped", "done", "failed"] as const;
export const EVENT_ACTIONS = ["ip_assigned", "ip_removed", "server_deleted", "server_provisioned"] as const;

const id = z.coerce.number().int().positive().max(2_147_483_647);

export const eventTableSpec = defineTableSpec({
  sortable: ["received", "action", "server", "ip", "status", "switch", "job"],
  defaultSort: "received",
  defaultDir: "desc",
  filters: {
    server: id,
    status: z.enum(EVENT_STATUSES),
    action: z.enum(EVENT_ACTIONS),
    switch: id,
    from: utcDateParam,
    to: utcDateParam,
  },
  defaultPageSize: 50,
});

export type EventTableSort = (typeof eventTableSpec.sortable)[number];
