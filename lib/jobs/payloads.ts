import { z } from "zod";

// Each task's payload schema, shared by the task (which parses) and enqueueJob (which validates).
const cronMeta = z.object({ ts: z.string(), backfilled: z.boolean().optional() });

export const taskPayloads = {
  heartbeat: z.object({ reason: z.enum(["startup", "cron"]), _cron: cronMeta.optional() }).strict(),
  "reconcile-switch": z.object({ switchId: z.number().int().positive(), trigger: z.string().max(100) }).strict(),
  "backup-switch": z.object({ switchId: z.number().int().positive(), reason: z.enum(["scheduled", "on-demand"]) }).strict(),
  "backup-scheduler": z.object({ _cron: cronMeta }).strict(),
  "audit-switch-drift": z.object({ switchId: z.number().int().positive() }).strict(),
  "drift-scheduler": z.object({ _cron: cronMeta.optional() }).strict(),
  "port-security-event": z.object({ serverId: z.number().int().positive() }).strict(),
  "prune-backups": z.object({ _cron: cronMeta.optional() }).strict(),
  "prune-job-runs": z.object({ _cron: cronMeta.optional() }).strict(),
  "requeue-port-security-events": z.object({ _cron: cronMeta.optional() }).strict(),
  "prune-inventory-snapshots": z.object({ _cron: cronMeta.optional() }).strict(),
  "backfill-address-timeline": z.object({}).strict(),
  "collect-inventory": z.object({ trigger: z.enum(["schedule", "manual", "api"]) }).strict(),
  "inventory-scheduler": z.object({ _cron: cronMeta }).strict(),
  "collect-unifi": z.object({ trigger: z.enum(["schedule", "manual"]).default("schedule"), _cron: cronMeta.optional() }).strict(),
  "collect-npm": z.object({ trigger: z.enum(["schedule", "manual"]).default("schedule"), _cron: cronMeta.optional() }).strict(),
  "collect-node-networks": z.object({ trigger: z.enum(["schedule", "manual"]).default("schedule"), _cron: cronMeta.optional() }).strict(),
  // requestedBy: the admin who asked, for the audit row of the deletion the job makes.
  "remove-switch": z.object({ switchId: z.number().int().positive(), requestedBy: z.string().min(1).max(320) }).strict(),
  "run-provisioning-job": z.object({ jobId: z.number().int().positive() }).strict(),
  "check-billing-ledger": z.object({ _cron: cronMeta.optional() }).strict(),
  "apply-stripe-event": z.object({ eventId: z.string().min(1).max(255) }).strict(),
  // day: the UTC day to collect (YYYY-MM-DD); cron runs collect yesterday.
  "collect-usage": z
    .object({
      day: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      requestedBy: z.string().min(1).max(320).optional(),
      _cron: cronMeta.optional(),
    })
    .strict(),
  "evaluate-notifications": z.object({ _cron: cronMeta.optional() }).strict(),
  "deliver-notification": z.object({ deliveryId: z.number().int().positive() }).strict(),
} as const;

export type TaskName = keyof typeof taskPayloads;
export type TaskPayload<T extends TaskName> = z.input<(typeof taskPayloads)[T]>;
