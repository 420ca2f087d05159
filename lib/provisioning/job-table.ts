// The provisioning queue's view as a link. Prefixed (`jobs.node`, `jobs.page`…): the page's own
// `?node=&guestType=&vmid=` open the request form on a guest and must not filter the queue.

import { z } from "zod";
import { defineTableSpec, utcDateParam } from "@/lib/table/url-state";

export const PROVISIONING_STATUSES = ["awaiting_approval", "queued", "running", "succeeded", "failed", "rejected"] as const;
export const PROVISIONING_KINDS = ["power_start", "power_shutdown", "power_stop", "power_reboot", "resize_disk", "assign_ip", "create_ct"] as const;

export const jobTableSpec = defineTableSpec({
  sortable: ["id", "asked", "kind", "node", "ticket", "status"],
  defaultSort: "id",
  defaultDir: "desc",
  filters: {
    status: z.enum(PROVISIONING_STATUSES),
    kind: z.enum(PROVISIONING_KINDS),
    node: z.string().max(100),
    by: z.string().max(200),
    from: utcDateParam,
    to: utcDateParam,
  },
  defaultPageSize: 25,
  paramPrefix: "jobs",
});
export type JobTableSort = (typeof jobTableSpec.sortable)[number];
