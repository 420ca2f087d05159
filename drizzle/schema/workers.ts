import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Written by the heartbeat task: proof that the whole job path (cron → queue → task → db) works.
export const workerHeartbeats = pgTable("worker_heartbeats", {
  workerId: text("worker_id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  beatAt: timestamp("beat_at", { withTimezone: true }).notNull().defaultNow(),
});

export type WorkerHeartbeat = typeof workerHeartbeats.$inferSelect;
