import { isNull } from "drizzle-orm";
import { switches, vmacs } from "@/drizzle/schema";
import { findVmacDisagreements, type GuestNicAddresses, type VmacDisagreement } from "@/lib/port-security/vmac-check";
import { collectNodeVmFacts } from "@/server/connectors/proxmox/node-facts";
import type { DbOrTx } from "@/server/db/client";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { readLatestBindings } from "../port-state/latest-bindings";

/**
 * Active VMACs against what Proxmox guests configure and what the switches bind (their latest
 * backups: no session is opened for a check). A source that cannot be read is reported, not hidden.
 */
/** A viewer's page load must not hold the server for ever on a big or slow cluster. */
export const VMAC_CHECK_DEADLINE_MS = 20_000;

export async function checkVmacAgreement(
  db: DbOrTx,
  panel: OutsideSystems | undefined,
  secretsKey: Buffer,
  opts: { deadlineMs?: number } = {},
): Promise<{ disagreements: VmacDisagreement[]; errors: string[]; checkedAt: Date }> {
  const deadline = Date.now() + (opts.deadlineMs ?? VMAC_CHECK_DEADLINE_MS);
  const errors: string[] = [];
  const active = await db.select({ ip: vmacs.ip, mac: vmacs.mac, serverId: vmacs.serverId }).from(vmacs).where(isNull(vmacs.releasedAt));
  const guestNics: GuestNicAddresses[] = [];
  if (!panel?.proxmox) errors.push("Proxmox is not configured: guests' MACs were not checked");
  else {
    try {
      for (const n of await panel.proxmox.listNodes()) {
        // Past the deadline the guests read so far are compared, and the page says the rest was not.
        if (Date.now() > deadline) {
          errors.push(`Proxmox: the check stopped after ${opts.deadlineMs ?? VMAC_CHECK_DEADLINE_MS} ms: node ${n.node} and the ones after it were not read`);
          break;
        }
        for (const vm of await collectNodeVmFacts(panel.proxmox, n.node))
          for (const nic of vm.nics) guestNics.push({ vmid: vm.vmid, name: vm.name, node: n.node, mac: nic.mac, ips: [...nic.configIps, ...nic.agentIps] });
      }
    } catch (e) {
      errors.push(`Proxmox: ${(e as Error).message}`);
    }
  }
  const switchBindings: Array<{ switchName: string; interface: string; ip: string; mac: string }> = [];
  const [sws, latest] = await Promise.all([db.select({ id: switches.id, name: switches.name }).from(switches), readLatestBindings(db, secretsKey)]);
  for (const sw of sws) {
    for (const [iface, list] of latest.get(sw.id)?.parsed?.ports ?? [])
      for (const b of list) switchBindings.push({ switchName: sw.name, interface: iface, ip: b.ip, mac: b.mac });
  }
  return { disagreements: findVmacDisagreements({ vmacs: active, guestNics, switchBindings }), errors, checkedAt: new Date() };
}
