import { customType, text, timestamp } from "drizzle-orm/pg-core";

/** Sealed secrets and compressed backups: raw bytes, never text. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * A collection run's life (inventory and edge snapshots): `collected_at` stays null until it
 * finished; a failed one keeps its `error`, so the last good run is what the console shows.
 */
export const collectionRunColumns = () => ({
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  collectedAt: timestamp("collected_at", { withTimezone: true }),
  status: text("status", { enum: ["running", "ok", "failed"] })
    .notNull()
    .default("running"),
  error: text("error"),
});
