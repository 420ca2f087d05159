// The approvals queue's view as a link.

import { z } from "zod";
import { defineTableSpec, utcDateParam } from "@/lib/table/url-state";

export const APPROVAL_STATUSES = ["pending", "applied", "rejected", "failed", "expired"] as const;
export const APPROVAL_KINDS = [
  "port_bindings",
  "vmac_release",
  "settings",
  "provisioning",
  "proxmox_node",
  "switch_delete",
  "ipam_address",
  "panel_port",
] as const;

export const approvalTableSpec = defineTableSpec({
  sortable: ["id", "asked", "by", "kind", "status", "decided"],
  defaultSort: "id",
  defaultDir: "desc",
  filters: {
    status: z.enum(APPROVAL_STATUSES),
    kind: z.enum(APPROVAL_KINDS),
    by: z.string().max(200),
    from: utcDateParam,
    to: utcDateParam,
  },
  defaultPageSize: 25,
});
export type ApprovalTableSort = (typeof approvalTableSpec.sortable)[number];
