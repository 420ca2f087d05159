import { createHash } from "node:crypto";
import { desc, eq, getTableColumns } from "drizzle-orm";
import { panelPorts, switchBackupContents, switchBackups, switches, type SwitchBackupRow } from "@/drizzle/schema";
import { parsePortVlanIds, parseVlanNamesById } from "@/lib/junos/config-parse";
import { normalizeConfigText } from "@/lib/junos/config-text";
import type { SwitchLinkFacts } from "@/lib/junos/link-facts";
import { seal, unseal } from "@/server/crypto/secret-box";
import type { DbOrTx } from "@/server/db/client";
import { requestSwitchPush } from "./switches";

/** Stores a backup; identical content is kept once and referenced. */
export async function storeBackup(
  db: DbOrTx,
  key: Buffer,
  b: {
    switchId: number;
    text: string;
    reason: SwitchBackupRow["reason"];
    changeId?: string;
    isManualChange?: boolean;
    /** LLDP and LACP as read on the backup's session (scheduled and on-demand backups). */
    linkFacts?: SwitchLinkFacts;
  },
): Promise<SwitchBackupRow> {
  // Hashed without Junos's `## Last commit` stamps: an unchanged switch dedupes to one content.
  const sha256 = hashConfig(b.text);
  await db
    .insert(switchBackupContents)
    .values({ sha256, sealed: seal(b.text, key), sizeBytes: Buffer.byteLength(b.text) })
    .onConflictDoNothing();
  const [row] = await db
    .insert(switchBackups)
    .values({
      switchId: b.switchId,
      reason: b.reason,
      changeId: b.changeId ?? null,
      sha256,
      isManualChange: b.isManualChange ?? false,
      linkFacts: b.linkFacts ?? null,
    })
    .returning();
  await recordSwitchVlans(db, b.switchId, b.text);
  return row!;
}

const sortedRecord = <T>(m: Map<string | number, T>): Record<string, T> =>
  Object.fromEntries([...m].map(([k, v]) => [String(k), v] as const).sort(([a], [b]) => a.localeCompare(b)));

/**
 * Keeps the switch's VLAN names and ports' access VLANs as its newest backup shows them. When they
 * change, its panel-managed ports are marked again: a binding skipped for a VLAN the switch did not
 * define (or named otherwise) is retried once a backup shows it.
 */
export async function recordSwitchVlans(db: DbOrTx, switchId: number, text: string): Promise<void> {
  const vlanNames = sortedRecord(parseVlanNamesById(text));
  const portVlanIds = sortedRecord(parsePortVlanIds(text));
  const [sw] = await db.select({ vlanNames: switches.vlanNames, portVlanIds: switches.portVlanIds }).from(switches).where(eq(switches.id, switchId));
  if (
    !sw ||
    (JSON.stringify(sortedRecord(new Map(Object.entries(sw.vlanNames ?? {})))) === JSON.stringify(vlanNames) &&
      JSON.stringify(sortedRecord(new Map(Object.entries(sw.portVlanIds ?? {})))) === JSON.stringify(portVlanIds))
  )
    return;
  await db.transaction(async (tx) => {
    await tx.update(switches).set({ vlanNames, portVlanIds }).where(eq(switches.id, switchId));
    const ports = await tx.select({ interface: panelPorts.interface }).from(panelPorts).where(eq(panelPorts.switchId, switchId));
    if (ports.length === 0) return;
    await requestSwitchPush(
      tx,
      switchId,
      ports.map((p) => p.interface),
      "switch-vlans-changed",
    );
  });
}

export async function readBackupText(db: DbOrTx, key: Buffer, backupId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ sealed: switchBackupContents.sealed })
    .from(switchBackups)
    .innerJoin(switchBackupContents, eq(switchBackups.sha256, switchBackupContents.sha256))
    .where(eq(switchBackups.id, backupId));
  return row ? unseal(row.sealed, key) : undefined;
}

/** A switch's backups, newest first, without the LLDP/LACP reading each carries (the edge map reads those). */
export function listBackups(db: DbOrTx, switchId: number, limit = 50) {
  const { linkFacts: _linkFacts, ...columns } = getTableColumns(switchBackups);
  return db
    .select(columns)
    .from(switchBackups)
    .where(eq(switchBackups.switchId, switchId))
    .orderBy(desc(switchBackups.takenAt), desc(switchBackups.id))
    .limit(limit);
}

export function hashConfig(text: string): string {
  return createHash("sha256").update(normalizeConfigText(text)).digest("hex");
}
