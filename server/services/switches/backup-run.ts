import { and, desc, eq, inArray, lt, notInArray, sql } from "drizzle-orm";
import { switchBackupContents, switchBackups, switches, type SwitchBackupRow } from "@/drizzle/schema";
import { JunosError } from "@/lib/junos/errors";
import { computeSwitchLinkFacts, type SwitchLinkFacts } from "@/lib/junos/link-facts";
import type { JunosSession } from "@/server/connectors/junos/session";
import { writeAudit } from "../platform/audit";
import { hashConfig, storeBackup } from "./backups";
import { readSwitchConfig, type SwitchDeps } from "./session";
import { getSwitch } from "./switches";
import type { DbOrTx } from "@/server/db/client";

/**
 * Reads and stores a switch's configuration. A scheduled backup that differs from the result of
 * the controller's last change is flagged: someone changed the switch outside the controller.
 */
export async function backupSwitch(deps: SwitchDeps, switchId: number, reason: "scheduled" | "on-demand"): Promise<SwitchBackupRow> {
  const sw = await getSwitch(deps.db, switchId);
  if (sw.hostKeyState !== "approved") throw new JunosError("host-key", `the host key of ${sw.name} is not approved: no session is opened`);
  const { config: text, after: linkFacts } = await readSwitchConfig(deps, sw, undefined, readLinkFacts);
  if (!/^set /m.test(text)) throw new JunosError("backup", `${sw.name} returned an empty configuration`);
  return deps.db.transaction(async (tx) => {
    const [lastResult] = await tx
      .select({ sha256: switchBackups.sha256 })
      .from(switchBackups)
      .where(and(eq(switchBackups.switchId, switchId), inArray(switchBackups.reason, ["post-change", "scheduled"])))
      .orderBy(desc(switchBackups.takenAt), desc(switchBackups.id))
      .limit(1);
    const isManualChange = reason === "scheduled" && lastResult !== undefined && lastResult.sha256 !== hashConfig(text);
    const row = await storeBackup(tx, deps.secretsKey, { switchId, text, reason, isManualChange, linkFacts });
    if (isManualChange) {
      await writeAudit(
        tx,
        { id: "system:backup" },
        {
          action: "switch.manual_change_detected",
          entityType: "switch",
          entityId: String(switchId),
          before: { sha256: lastResult.sha256 },
          after: { sha256: row.sha256, backupId: row.id },
        },
      );
    }
    return row;
  });
}

/**
 * The switch's LLDP neighbours and ae membership, on the backup's session once the configuration is
 * read. Either read may fail (LLDP off, an old release, a dropped session): its error is kept
 * instead, and the backup stands. Nothing read here is ever sent to a switch.
 */
async function readLinkFacts(session: JunosSession): Promise<SwitchLinkFacts> {
  // After a timeout, a lost session or an overflow the CLI is out of step: the next answer would not be its own.
  let outOfStep: string | null = null;
  const read = async (command: string): Promise<{ text: string } | { error: string }> => {
    if (outOfStep) return { error: `not read: ${outOfStep}` };
    try {
      return { text: await session.run(command) };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!(e instanceof JunosError) || ["timeout", "connection", "too-large"].includes(e.kind)) outOfStep = `the session failed during \`${command}\``;
      return { error: message };
    }
  };
  const lldp = await read("show lldp neighbors");
  const lacp = await read("show lacp interfaces");
  return computeSwitchLinkFacts(lldp, lacp);
}

/** Drops backups past the retention, keeping each switch's newest 10, then contents nothing uses. */
export async function pruneBackups(db: DbOrTx, retentionDays: number): Promise<number> {
  const cutoff = new Date(Date.now() - retentionDays * 86_400_000);
  const keep = db
    .select({ id: switchBackups.id })
    .from(switchBackups)
    .where(
      sql`(select count(*) from switch_backups newer where newer.switch_id = ${switchBackups.switchId} and newer.taken_at > ${switchBackups.takenAt}) < 10`,
    );
  const deleted = await db
    .delete(switchBackups)
    .where(and(lt(switchBackups.takenAt, cutoff), notInArray(switchBackups.id, keep)))
    .returning({ id: switchBackups.id });
  await db.delete(switchBackupContents).where(sql`not exists (select 1 from switch_backups b where b.sha256 = ${switchBackupContents.sha256})`);
  return deleted.length;
}

export async function listApprovedSwitchIds(db: DbOrTx): Promise<number[]> {
  return (await db.select({ id: switches.id }).from(switches).where(eq(switches.hostKeyState, "approved"))).map((r) => r.id);
}
