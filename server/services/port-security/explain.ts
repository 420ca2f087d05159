import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { ipamAddresses, switches, switchPushes, vmacs } from "@/drizzle/schema";
import { parseIpAddress } from "@/lib/net/ip";
import { explainAddress, type WhyAnswer, type WhyFacts } from "@/lib/port-security/explain";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import type { DbOrTx } from "@/server/db/client";
import { readLatestBindings } from "../port-state/latest-bindings";
import { previewServerPort } from "./preview";

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
  const preview = tenantos && !("error" in tenantos) ? await previewServerPort(db, panel, secretsKey, tenantos.serverId) : null;

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
