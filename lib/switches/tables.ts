// The switches list and a switch page's pushes and backups as links. The switch page shows two
// lists, so each has its own param prefix (`pushes.sort`, `backups.page`…).

import { z } from "zod";
import { defineTableSpec, utcDateParam } from "@/lib/table/url-state";

export const HOST_KEY_STATES = ["unknown", "unverified", "approved", "mismatch"] as const;
export const PUSH_STATUSES = [
  "running",
  "committed",
  "unchanged",
  "failed",
  "awaiting-confirm",
  "confirmed-after-reconnect",
  "rolled-back-by-switch",
  "deferred",
] as const;
export const BACKUP_REASONS = ["pre-change", "post-change", "scheduled", "on-demand"] as const;

export const switchTableSpec = defineTableSpec({
  sortable: ["name", "address", "dialect", "hostKey", "lastBackup", "lastPush", "drift", "dirty"],
  defaultSort: "name",
  defaultDir: "asc",
  filters: {
    hostKey: z.enum(HOST_KEY_STATES),
    automation: z.enum(["on", "off"]),
    lastPush: z.enum(PUSH_STATUSES),
    drift: z.enum(["in-sync", "differs", "error", "unchecked"]),
  },
  defaultPageSize: 50,
});
export type SwitchTableSort = (typeof switchTableSpec.sortable)[number];

export const pushTableSpec = defineTableSpec({
  sortable: ["started", "change", "trigger", "status"],
  defaultSort: "started",
  defaultDir: "desc",
  filters: { status: z.enum(PUSH_STATUSES), from: utcDateParam, to: utcDateParam },
  pageSizes: [10, 25, 50, 100],
  defaultPageSize: 25,
  paramPrefix: "pushes",
});
export type PushTableSort = (typeof pushTableSpec.sortable)[number];

export const backupTableSpec = defineTableSpec({
  sortable: ["taken", "reason", "change"],
  defaultSort: "taken",
  defaultDir: "desc",
  filters: { reason: z.enum(BACKUP_REASONS), manual: z.enum(["yes", "no"]), from: utcDateParam, to: utcDateParam },
  pageSizes: [10, 25, 50, 100],
  defaultPageSize: 25,
  paramPrefix: "backups",
});
export type BackupTableSort = (typeof backupTableSpec.sortable)[number];
