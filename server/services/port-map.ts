import { panelPorts, switchDirtyPorts, switchPortBindings, switches } from "@/drizzle/schema";
import type { Binding } from "@/lib/junos/bindings";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { physicalInterface } from "@/lib/junos/values";
import type { DbOrTx } from "@/server/db/client";
import { listBackups, readBackupText } from "./switch-backups";

export interface PortMapRow {
  switchId: number;
  switchName: string;
  interface: string;
  /** Who decides the port's bindings: the panel (a server or a Proxmox node) or an admin by hand. */
  owner: { kind: "dedicated" | "vm-node"; serverId: number; proxmoxNode: string | null } | { kind: "manual" } | { kind: "unmanaged" };
  description: string | null;
  onSwitch: Binding[] | null;
  isDirty: boolean;
}

/**
 * Which server sits on which switch port: every port we manage or find bindings on, with its owner,
 * its description and bindings as of the switch's latest backup (no session from the web), and
 * whether a push is pending.
 */
export async function getPortMap(db: DbOrTx, secretsKey: Buffer): Promise<{ rows: PortMapRow[]; backupsAt: Record<number, Date | null> }> {
  const [sws, panel, manual, dirty] = await Promise.all([
    db.select().from(switches).orderBy(switches.name),
    db.select().from(panelPorts),
    db.select({ switchId: switchPortBindings.switchId, interface: switchPortBindings.interface }).from(switchPortBindings),
    db.select({ switchId: switchDirtyPorts.switchId, interface: switchDirtyPorts.interface }).from(switchDirtyPorts),
  ]);
  const key = (s: number, i: string) => `${s}|${i}`;
  const panelBy = new Map(panel.map((p) => [key(p.switchId, p.interface), p]));
  const manualBy = new Set(manual.map((m) => key(m.switchId, m.interface)));
  const dirtyBy = new Set(dirty.map((d) => key(d.switchId, d.interface)));
  const rows: PortMapRow[] = [];
  const backupsAt: Record<number, Date | null> = {};
  for (const sw of sws) {
    const [latest] = await listBackups(db, sw.id, 1);
    backupsAt[sw.id] = latest?.takenAt ?? null;
    const text = latest && sw.dialect ? await readBackupText(db, secretsKey, latest.id) : undefined;
    const parsed = text && sw.dialect ? parseBindingsFromDisplaySet(text, sw.dialect) : null;
    const ifaces = new Set<string>([...(parsed?.ports.keys() ?? [])]);
    for (const p of panel) if (p.switchId === sw.id) ifaces.add(p.interface);
    for (const m of manual) if (m.switchId === sw.id) ifaces.add(m.interface);
    for (const iface of [...ifaces].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))) {
      const p = panelBy.get(key(sw.id, iface));
      rows.push({
        switchId: sw.id,
        switchName: sw.name,
        interface: iface,
        owner: p ? { kind: p.kind, serverId: p.serverId, proxmoxNode: p.proxmoxNode } : manualBy.has(key(sw.id, iface)) ? { kind: "manual" } : { kind: "unmanaged" },
        description: parsed?.descriptions.get(physicalInterface(iface)) ?? null,
        onSwitch: parsed ? (parsed.ports.get(iface) ?? []) : null,
        isDirty: dirtyBy.has(key(sw.id, iface)),
      });
    }
  }
  return { rows, backupsAt };
}
