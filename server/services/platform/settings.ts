import { inArray, sql } from "drizzle-orm";
import { settings } from "@/drizzle/schema";
import type { DbOrTx } from "@/server/db/client";
import { parseSettingsForm, readSettings, type Settings, type SettingsForm } from "@/lib/settings/schema";
import { writeAudit, type Actor } from "./audit";

export async function getSettings(db: DbOrTx): Promise<Settings> {
  return readSettings(await db.select({ key: settings.key, value: settings.value }).from(settings));
}

/**
 * Validates the form, then writes the changed keys and one audit row per change in one
 * transaction. Bad input throws before anything is written.
 */
export async function updateSettings(db: DbOrTx, actor: Actor, form: SettingsForm, ticketId?: string): Promise<Settings> {
  return updateSettingValues(db, actor, parseSettingsForm(form), ticketId);
}

/** Writes typed values (an approved change stores them typed); only keys whose value differs are written and audited. */
export async function updateSettingValues(db: DbOrTx, actor: Actor, patch: Partial<Settings>, ticketId?: string): Promise<Settings> {
  return db.transaction(async (tx) => {
    // Serialise concurrent saves so each audit row's `before` is what the save replaced.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('settings'))`);
    const current = await getSettings(tx);
    const keys = Object.keys(patch) as Array<keyof Settings>;
    const changed = keys.filter((k) => JSON.stringify(current[k]) !== JSON.stringify(patch[k]));
    if (changed.length === 0) return current;
    const rows = changed.map((key) => ({ key, value: patch[key], updatedBy: actor.id, updatedAt: new Date() }));
    await tx
      .insert(settings)
      .values(rows)
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: sql`excluded.value`, updatedBy: sql`excluded.updated_by`, updatedAt: sql`excluded.updated_at` },
      });
    for (const key of changed) {
      await writeAudit(tx, actor, { action: "settings.update", entityType: "setting", entityId: key, before: current[key], after: patch[key], ticketId });
    }
    return getSettings(tx);
  });
}

export async function getSettingsMeta(db: DbOrTx, keys: string[]) {
  return db.select({ key: settings.key, updatedAt: settings.updatedAt, updatedBy: settings.updatedBy }).from(settings).where(inArray(settings.key, keys));
}
