import { createHash } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import { switchBackupContents, switchBackups, type SwitchBackupRow } from "@/drizzle/schema";
import { normalizeConfigText } from "@/lib/junos/config-text";
import { seal, unseal } from "@/server/crypto/secret-box";
import type { DbOrTx } from "@/server/db/client";

/** Stores a backup; identical content is kept once and referenced. */
export async function storeBackup(
  db: DbOrTx,
  key: Buffer,
  b: { switchId: number; text: string; reason: SwitchBackupRow["reason"]; changeId?: string; isManualChange?: boolean },
): Promise<SwitchBackupRow> {
  // Hashed without Junos's `## Last commit` stamps: an unchanged switch dedupes to one content.
  const sha256 = hashConfig(b.text);
  await db
    .insert(switchBackupContents)
    .values({ sha256, sealed: seal(b.text, key), sizeBytes: Buffer.byteLength(b.text) })
    .onConflictDoNothing();
  const [row] = await db.insert(switchBackups).values({ switchId: b.switchId, reason: b.reason, changeId: b.changeId ?? null, sha256, isManualChange: b.isManualChange ?? false }).returning();
  return row!;
}

export async function readBackupText(db: DbOrTx, key: Buffer, backupId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ sealed: switchBackupContents.sealed })
    .from(switchBackups)
    .innerJoin(switchBackupContents, eq(switchBackups.sha256, switchBackupContents.sha256))
    .where(eq(switchBackups.id, backupId));
  return row ? unseal(row.sealed, key) : undefined;
}

export function listBackups(db: DbOrTx, switchId: number, limit = 50) {
  return db.select().from(switchBackups).where(eq(switchBackups.switchId, switchId)).orderBy(desc(switchBackups.takenAt), desc(switchBackups.id)).limit(limit);
}

export function hashConfig(text: string): string {
  return createHash("sha256").update(normalizeConfigText(text)).digest("hex");
}
