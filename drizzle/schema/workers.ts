import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Written by the heartbeat task: proof that the whole job path (cron → queue → task → db) works.
export const workerHeartbeats = pgTable("worker_heartbeats", {
  workerId: text("worker_id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  beatAt: timestamp("beat_at", { withTimezone: true }).notNull().defaultNow(),
});

export type WorkerHeartbeat = typeof workerHeartbeats.$inferSelect;

/** Each live graphile worker's id, renewed every 15 s, so jobs locked by a dead worker can be freed. */
export const workerProcesses = pgTable("worker_processes", {
  workerId: text("worker_id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  beatAt: timestamp("beat_at", { withTimezone: true }).notNull().defaultNow(),
});
