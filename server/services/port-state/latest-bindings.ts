import { desc, eq, inArray } from "drizzle-orm";
import { switchBackupContents, switchBackups, switches } from "@/drizzle/schema";
import { parseBindingsFromDisplaySet, parseDefinedVlans, type ParsedBindings } from "@/lib/junos/config-parse";
import { unseal } from "@/server/crypto/secret-box";
import type { DbOrTx } from "@/server/db/client";

/** What a switch held as of its latest backup: the web never opens a session to a switch. */
export interface LatestBindings {
  backupId: number;
  takenAt: Date;
  /** null until the switch's dialect is known (its first approved session detects it). */
  parsed: ParsedBindings | null;
  /** `set vlans NAME vlan-id N`: a push leaves out bindings on any other VLAN. */
  definedVlans: Set<string>;
}

/**
 * Every switch's (or these switches') latest backup, unsealed and parsed, keyed by switch id; a
 * switch with no backup is absent. One query finds the latest of every switch, whatever their
 * number (a query per switch made the port map's cost grow with the fleet).
 */
export async function readLatestBindings(db: DbOrTx, secretsKey: Buffer, switchIds?: number[]): Promise<Map<number, LatestBindings>> {
  if (switchIds && switchIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([switchBackups.switchId], {
      switchId: switchBackups.switchId,
      backupId: switchBackups.id,
      takenAt: switchBackups.takenAt,
      sealed: switchBackupContents.sealed,
      dialect: switches.dialect,
    })
    .from(switchBackups)
    .innerJoin(switchBackupContents, eq(switchBackups.sha256, switchBackupContents.sha256))
    .innerJoin(switches, eq(switches.id, switchBackups.switchId))
    .where(switchIds ? inArray(switchBackups.switchId, switchIds) : undefined)
    .orderBy(switchBackups.switchId, desc(switchBackups.takenAt), desc(switchBackups.id));
  const out = new Map<number, LatestBindings>();
  for (const r of rows) {
    const text = unseal(r.sealed, secretsKey);
    out.set(r.switchId, {
      backupId: r.backupId,
      takenAt: r.takenAt,
      parsed: r.dialect ? parseBindingsFromDisplaySet(text, r.dialect) : null,
      definedVlans: parseDefinedVlans(text),
    });
  }
  return out;
}
