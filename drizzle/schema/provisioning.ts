import { bigserial, bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { ProvisioningRequest } from "../../lib/provisioning/jobs";
import type { ProvisioningPlan } from "../../lib/provisioning/plan";

/** A Proxmox task a job started: its UPID, followed to the end, and Proxmox's words when it stopped. */
export interface ProvisioningTaskRecord {
  upid: string;
  node: string;
  /** The planned call (index in the plan) that answered this UPID. */
  call: number;
  status: "running" | "ok" | "failed";
  exitstatus?: string;
  log: string[];
}

/**
 * A write to Proxmox asked for from the console (issue 14): planned (the dry run, shown), requested
 * with a ticket, approved by a second admin when the plan says so, run by the `run-provisioning-job`
 * task. The correlation id ties the request, the UPIDs, the audit rows and any port-security push.
 */
export const provisioningJobs = pgTable(
  "provisioning_jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    correlationId: uuid("correlation_id").notNull().defaultRandom(),
    kind: text("kind", { enum: ["power_start", "power_shutdown", "power_stop", "power_reboot", "resize_disk", "assign_ip", "create_ct"] }).notNull(),
    payload: jsonb("payload").$type<ProvisioningRequest>().notNull(),
    status: text("status", { enum: ["awaiting_approval", "queued", "running", "succeeded", "failed", "rejected"] }).notNull(),
    ticketId: text("ticket_id").notNull(),
    /** The plan as last shown (and, when approval is needed, as approved). */
    plan: jsonb("plan").$type<ProvisioningPlan>().notNull(),
    /** The guest config's digest the plan was made from: a different one at run time asks for approval again. */
    configDigest: text("config_digest"),
    node: text("node").notNull(),
    vmid: integer("vmid"),
    /** The address claimed in IPAM for assign/create (claimed once: a resumed run reuses it). */
    address: text("address"),
    /** How many of the plan's calls were sent: a resumed run never sends one twice. */
    callsSent: integer("calls_sent").notNull().default(0),
    /**
     * Set (to the call's index) just before a call is sent, cleared with its answer recorded. Found set
     * on a resumed run: the call may have reached Proxmox, so its state is checked before acting.
     */
    callInFlight: integer("call_in_flight"),
    tasks: jsonb("tasks").$type<ProvisioningTaskRecord[]>().notNull().default([]),
    result: jsonb("result"),
    error: text("error"),
    requestedBy: text("requested_by").notNull(),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    /** The pending_changes row a second admin decides (the latest one, after a re-plan). */
    approvalId: bigint("approval_id", { mode: "number" }),
    approvedBy: text("approved_by"),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("provisioning_jobs_correlation_idx").on(t.correlationId),
    index("provisioning_jobs_status_idx").on(t.status, t.requestedAt.desc().nullsFirst()),
  ],
);
export type ProvisioningJobRow = typeof provisioningJobs.$inferSelect;
