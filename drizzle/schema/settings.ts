import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// One row per setting key; values are validated by lib/settings before they get here.
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text("updated_by").notNull(),
});

export type SettingRow = typeof settings.$inferSelect;
