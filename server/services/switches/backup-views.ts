import { createTwoFilesPatch } from "diff";
import { and, eq, inArray } from "drizzle-orm";
import { switchBackupContents, switchBackups } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { normalizeConfigText } from "@/lib/junos/config-text";
import { maskConfigSecrets } from "@/lib/junos/mask-secrets";
import type { DbOrTx } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";
import { readBackupText } from "./backups";

async function backupOf(db: DbOrTx, key: Buffer, switchId: number, backupId: number) {
  const [row] = await db
    .select()
    .from(switchBackups)
    .where(and(eq(switchBackups.id, backupId), eq(switchBackups.switchId, switchId)));
  if (!row) throw new AppError("NOT_FOUND", `backup ${backupId} of switch ${switchId} does not exist`);
  return { row, text: (await readBackupText(db, key, backupId))! };
}

/** A backup's text for download: secrets masked unless the reader may see them (admins). */
export async function getBackupText(db: DbOrTx, key: Buffer, switchId: number, backupId: number, opts: { isSecretsVisible: boolean }) {
  const { row, text } = await backupOf(db, key, switchId, backupId);
  return { row, text: opts.isSecretsVisible ? text : maskConfigSecrets(text) };
}

/**
 * One backup to download: viewers get secrets masked; an admin gets the configuration as the switch
 * holds it, and that is on record (a configuration with its secrets left the building).
 */
export async function downloadBackup(db: DbOrTx, key: Buffer, actor: Actor, input: { switchId: number; backupId: number; isSecretsVisible: boolean }) {
  const backup = await getBackupText(db, key, input.switchId, input.backupId, { isSecretsVisible: input.isSecretsVisible });
  if (input.isSecretsVisible) {
    await db.transaction((tx) =>
      writeAudit(tx, actor, {
        action: "switch.backup_download",
        entityType: "switch_backup",
        entityId: String(backup.row.id),
        after: { switchId: input.switchId },
      }),
    );
  }
  return backup;
}

export const MAX_DIFF_BYTES = 4 * 2 ** 20;

/** Unified diff between two backups of one switch; secrets are always masked in diffs. */
export async function diffBackups(db: DbOrTx, key: Buffer, switchId: number, fromId: number, toId: number): Promise<string> {
  const rows = await db
    .select({ id: switchBackups.id })
    .from(switchBackups)
    .where(and(eq(switchBackups.switchId, switchId), inArray(switchBackups.id, [fromId, toId])));
  if (rows.length !== new Set([fromId, toId]).size) throw new AppError("NOT_FOUND", `backups ${fromId} and ${toId} are not both backups of switch ${switchId}`);
  // A diff's cost grows with size times differences: a viewer's request stops at a size a switch config reaches only by accident.
  const sizes = await db
    .select({ id: switchBackups.id, size: switchBackupContents.sizeBytes })
    .from(switchBackups)
    .innerJoin(switchBackupContents, eq(switchBackups.sha256, switchBackupContents.sha256))
    .where(inArray(switchBackups.id, [fromId, toId]));
  const big = sizes.find((r) => r.size > MAX_DIFF_BYTES);
  if (big)
    throw new AppError(
      "BAD_REQUEST",
      `backup ${big.id} is ${(big.size / 2 ** 20).toFixed(1)} MiB: over ${MAX_DIFF_BYTES / 2 ** 20} MiB, too large to compare here; download both instead`,
    );
  const [a, b] = await Promise.all([backupOf(db, key, switchId, fromId), backupOf(db, key, switchId, toId)]);
  const text = (t: string) => `${maskConfigSecrets(normalizeConfigText(t))}\n`;
  return createTwoFilesPatch(
    `backup-${fromId} (${a.row.takenAt.toISOString()})`,
    `backup-${toId} (${b.row.takenAt.toISOString()})`,
    text(a.text),
    text(b.text),
    undefined,
    undefined,
    { context: 3 },
  );
}
