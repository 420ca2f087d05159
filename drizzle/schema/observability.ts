import { bigint, bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp } from "drizzle-orm/pg-core";
import type { ReceiverPublic } from "../../lib/observability/receivers";
import { bytea } from "./columns";

/**
 * Where notifications go without Prometheus: a generic JSON webhook, a Slack/Teams incoming
 * webhook, or email over SMTP. What is not secret is kept readable (`settings`); the secret part
 * (a Slack URL is itself the credential, a webhook's signing secret, the SMTP password) is sealed.
 */
export const notificationReceivers = pgTable("notification_receivers", {
  id: serial("id").primaryKey(),
  kind: text("kind", { enum: ["webhook", "slack", "email"] }).notNull(),
  name: text("name").notNull(),
  settings: jsonb("settings").$type<ReceiverPublic>().notNull(),
  secretSealed: bytea("secret_sealed"),
  isEnabled: boolean("enabled").notNull().default(true),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text("updated_by").notNull(),
});
export type NotificationReceiverRow = typeof notificationReceivers.$inferSelect;

/**
 * A condition the evaluator has seen start (one row per condition key, e.g. `push-failing:sw1`).
 * A row with `cleared_at` null is active: it was announced and waits for its "resolved".
 */
export const notificationConditions = pgTable("notification_conditions", {
  key: text("key").primaryKey(),
  kind: text("kind").notNull(),
  subject: text("subject"),
  summary: text("summary").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  clearedAt: timestamp("cleared_at", { withTimezone: true }),
});
export type NotificationConditionRow = typeof notificationConditions.$inferSelect;

/** One message to one receiver: queued with its job, then sent, failed (after retries) or suppressed by the rate limit. */
export const notificationDeliveries = pgTable(
  "notification_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    receiverId: integer("receiver_id")
      .notNull()
      .references(() => notificationReceivers.id, { onDelete: "cascade" }),
    conditionKey: text("condition_key"),
    event: text("event", { enum: ["firing", "resolved", "test"] }).notNull(),
    summary: text("summary").notNull(),
    status: text("status", { enum: ["queued", "sent", "failed", "suppressed"] }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    error: text("error"),
  },
  (t) => [
    index("notification_deliveries_receiver_created_idx").on(t.receiverId, t.createdAt.desc().nullsFirst()),
    index("notification_deliveries_created_idx").on(t.createdAt.desc().nullsFirst()),
  ],
);
export type NotificationDeliveryRow = typeof notificationDeliveries.$inferSelect;

/**
 * Tenantos event → binding latency, counted per histogram bucket by the trigger that stamps an
 * event `done` (migration observability_triggers), so a scrape sums a few hundred rows however many
 * events there were. Per switch: a switch's pushes are serial, so two transactions never wait on
 * one row. `bucket` indexes BINDING_LATENCY_BUCKETS (its length: beyond the last bound).
 */
export const bindingLatencyBuckets = pgTable(
  "binding_latency_buckets",
  {
    switchId: integer("switch_id").notNull(),
    bucket: integer("bucket").notNull(),
    count: bigint("count", { mode: "number" }).notNull().default(0),
    sumSeconds: doublePrecision("sum_seconds").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.switchId, t.bucket] })],
);
