import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { ipamAddresses, panelPorts, switches, switchPushes, vmacs } from "@/drizzle/schema";
import { parseIpAddress } from "@/lib/net/ip";
import { explainAddress, type WhyAnswer, type WhyFacts } from "@/lib/port-security/explain";
import { isSkipAbout } from "@/lib/port-security/plan";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import type { DbOrTx } from "@/server/db/client";
import { readLatestBindings } from "../port-state/latest-bindings";
import { computePanelPortState } from "../port-state/desired";
import { createFactReader } from "../port-state/facts";
import { previewServerPort, type PortPreview } from "./preview";

/**
 * "Why is (or isn't) this IP bound?": Tenantos's owner of the IP, the server's port and the rules
 * as a push computes them (the preview), the port's last push, what every switch's latest backup
 * binds for it, IPAM and the VMAC. Reads only; Tenantos is asked with no transaction open.
 */
export async function explainIpBinding(db: DbOrTx, panel: OutsideSystems | undefined, secretsKey: Buffer, rawIp: string): Promise<WhyAnswer> {
  const { ip } = parseIpAddress(rawIp.trim());
  let tenantos: WhyFacts["tenantos"];
  if (!panel) tenantos = { error: "Tenantos is not configured" };
  else {
    try {
      const server = await panel.tenantos.getServerByIp(ip);
      tenantos = server ? { serverId: server.id, serverName: server.name } : null;
    } catch (e) {
      tenantos = { error: e instanceof Error ? e.message : String(e) };
    }
  }
  const preview =
    tenantos && !("error" in tenantos)
      ? await previewServerPort(db, panel, secretsKey, tenantos.serverId)
      : tenantos === null && panel
        ? await findUplinkPlanOf(db, panel, secretsKey, ip)
        : null;

  const [lastPush, latest, names, [ipam], [vmac]] = await Promise.all([
    preview?.target
      ? db
          .select({ changeId: switchPushes.changeId, status: switchPushes.status, finishedAt: switchPushes.finishedAt, error: switchPushes.errorMessage })
          .from(switchPushes)
          .where(and(eq(switchPushes.switchId, preview.target.switchId), sql`${preview.target.interface} = any(${switchPushes.ports})`))
          .orderBy(desc(switchPushes.id))
          .limit(1)
          .then((r) => r[0] ?? null)
      : Promise.resolve(null),
    readLatestBindings(db, secretsKey),
    db.select({ id: switches.id, name: switches.name }).from(switches),
    db
      .select({ status: ipamAddresses.status, vmid: ipamAddresses.vmid, hostname: ipamAddresses.hostname, mac: ipamAddresses.mac })
      .from(ipamAddresses)
      .where(sql`${ipamAddresses.address} = ${ip}::inet`),
    db
      .select({ mac: vmacs.mac })
      .from(vmacs)
      .where(and(eq(vmacs.ip, ip), isNull(vmacs.releasedAt))),
  ]);
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  const boundAt = [...latest].flatMap(([switchId, l]) =>
    [...(l.parsed?.ports ?? [])].flatMap(([iface, bs]) =>
      bs.filter((b) => b.ip === ip).map((b) => ({ switchName: nameOf.get(switchId) ?? String(switchId), interface: iface, mac: b.mac, vlan: b.vlan })),
    ),
  );
  return explainAddress({ ip, tenantos, preview, lastPush, boundAt, ipam: ipam ?? null, vmac: vmac?.mac ?? null });
}

/**
 * An address no Tenantos server holds may still be on a node uplink's plan: a guest's stale or
 * unknown address, bound or left out there. "Why" then answers from that plan, as the push does.
 */
type PlanView = Pick<PortPreview, "blockedReason" | "target" | "desired" | "skipped" | "flags" | "current" | "currentAsOf">;

async function findUplinkPlanOf(db: DbOrTx, panel: OutsideSystems, secretsKey: Buffer, ip: string): Promise<PlanView | null> {
  const uplinks = await db.select().from(panelPorts).where(eq(panelPorts.kind, "vm-node"));
  const facts = createFactReader(panel);
  for (const port of uplinks) {
    const state = await computePanelPortState({ db, panel }, port, undefined, facts);
    if (!state.bindings.some((b) => b.ip === ip) && !state.skipped.some((s) => isSkipAbout(s, ip))) continue;
    const [sw] = await db.select({ name: switches.name }).from(switches).where(eq(switches.id, port.switchId));
    const latest = (await readLatestBindings(db, secretsKey, [port.switchId])).get(port.switchId);
    const current = latest?.parsed ? (latest.parsed.ports.get(port.interface) ?? []) : null;
    const preview: PlanView = {
      blockedReason: null,
      target: {
        switchId: port.switchId,
        switchName: sw?.name ?? String(port.switchId),
        interface: port.interface,
        kind: port.kind,
        proxmoxNode: port.proxmoxNode,
      },
      desired: state.bindings,
      skipped: state.skipped,
      flags: state.flags,
      current,
      currentAsOf: current ? latest!.takenAt : null,
    };
    return preview;
  }
  return null;
}
