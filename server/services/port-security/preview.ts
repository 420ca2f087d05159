import { bindingKey, type Binding } from "@/lib/junos/bindings";
import { splitByDefinedVlans } from "@/lib/junos/plan";
import { physicalInterface } from "@/lib/junos/values";
import { AppError } from "@/lib/errors";
import type { Skip } from "@/lib/port-security/rules";
import type { PlanFlag, PlannedBinding } from "@/lib/port-security/plan";
import type { Db, DbOrTx } from "@/server/db/client";
import { writeAudit, type Actor } from "../platform/audit";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { findServerPorts, requestServerPortsPush } from "./tenantos-routing";
import { computePanelPortState } from "../port-state/desired";
import { readLatestBindings } from "../port-state/latest-bindings";

export interface PortPreview {
  serverId: number;
  serverName: string | null;
  /** Why the server's port cannot be automated; the rest is empty then. */
  blockedReason: string | null;
  target: { switchId: number; switchName: string; interface: string; kind: "dedicated" | "vm-node"; proxmoxNode: string | null } | null;
  /** Each with its source (Tenantos assignment, Proxmox netN of a VMID, VMAC). */
  desired: PlannedBinding[];
  /** Left out, each with the rule that left it out (`rule` is absent on routing skips). */
  skipped: Array<Skip & { rule?: string; ip?: string; claimants?: string[] }>;
  /** Bound but worth a look: unknown to Tenantos, agent-only; and addresses claimed twice. */
  flags: PlanFlag[];
  /** The switch's bindings on that port as of its latest backup (never a live session from the web). */
  current: Binding[] | null;
  currentAsOf: Date | null;
  diff: { added: Binding[]; removed: Binding[]; kept: Binding[] } | null;
  /** The interface description a push sets, and the one the latest backup shows. */
  description: { desired: string | null; current: string | null };
}

/**
 * What a push for this server would do, computed as the worker would (same facts, same rules),
 * against the switch's latest backup. Writes nothing.
 */
export async function previewServerPort(db: DbOrTx, panel: OutsideSystems | undefined, secretsKey: Buffer, serverId: number): Promise<PortPreview> {
  const routed = await findServerPorts(db, panel, serverId);
  const empty = {
    target: null,
    desired: [],
    skipped: [],
    flags: [],
    current: null,
    currentAsOf: null,
    diff: null,
    description: { desired: null, current: null },
  };
  if (!routed.isFound) return { serverId, serverName: null, blockedReason: routed.reason, ...empty };
  // The first of its ports (a bonded server's others get the same computation); a VM previews its node's uplink.
  const found = routed.ports[0]!;
  const { server } = routed;
  const sw = found.switch;
  const port = {
    switchId: sw.id,
    interface: found.interface,
    serverId: routed.portsOf?.serverId ?? serverId,
    kind: found.kind,
    proxmoxNode: found.proxmoxNode,
    updatedAt: new Date(),
  };
  // Computed as the worker computes it, against what the switch held at its latest backup.
  const [state, latest] = await Promise.all([
    computePanelPortState({ db, panel }, port),
    readLatestBindings(db, secretsKey, [sw.id]).then((m) => m.get(sw.id)),
  ]);
  const { bindings, description } = state;
  const skipped: PortPreview["skipped"] = [
    ...routed.skipped,
    ...(routed.portsOf ? [{ subject: `server ${serverId}`, reason: `${routed.portsOf.why}: its uplink is shown` }] : []),
    ...routed.ports.slice(1).map((p) => ({ subject: `${p.switch.name} ${p.interface}`, reason: "another port of this server: pushed with the same bindings" })),
    ...(state.unknownReason ? [{ subject: found.interface, reason: state.unknownReason }] : []),
    ...state.skipped,
  ];
  const parsed = latest?.parsed ?? null;
  const current = parsed ? (parsed.ports.get(found.interface) ?? []) : null;
  // As the push will: a binding on a VLAN the switch does not define is left out, and said so.
  const { pushable, leftOut } = splitByDefinedVlans(bindings, latest?.definedVlans);
  for (const b of leftOut) skipped.push({ subject: b.ip, reason: `VLAN ${b.vlan} is not defined on ${sw.name}` });
  return {
    serverId,
    serverName: server.name,
    blockedReason: null,
    target: { switchId: sw.id, switchName: sw.name, interface: found.interface, kind: found.kind, proxmoxNode: found.proxmoxNode },
    desired: pushable,
    skipped,
    flags: state.flags,
    current,
    currentAsOf: current ? latest!.takenAt : null,
    diff: current ? diffBindings(current, pushable) : null,
    description: { desired: description ?? null, current: parsed?.descriptions.get(physicalInterface(found.interface)) ?? null },
  };
}

function diffBindings(current: Binding[], desired: Binding[]) {
  const have = new Set(current.map(bindingKey));
  const want = new Set(desired.map(bindingKey));
  return {
    added: desired.filter((b) => !have.has(bindingKey(b))),
    removed: current.filter((b) => !want.has(bindingKey(b))),
    kept: desired.filter((b) => have.has(bindingKey(b))),
  };
}

/**
 * "Push now" from the console: the same path an event takes (port remembered as panel-managed,
 * marked dirty, the switch's run queued in its own queue), audited with who asked.
 */
export async function pushServerPortNow(
  db: Db,
  panel: OutsideSystems | undefined,
  actor: Actor,
  serverId: number,
): Promise<{ jobId: number; switchId: number; interface: string }> {
  const routed = await findServerPorts(db, panel, serverId);
  if (!routed.isFound) throw new AppError("CONFLICT", `server ${serverId} cannot be pushed: ${routed.reason}`);
  return db.transaction(async (tx) => {
    const pushed = await requestServerPortsPush(tx, routed, `console:server:${serverId}`, 0);
    if (!pushed[0])
      throw new AppError(
        "CONFLICT",
        `server ${serverId}'s port is another server's or holds hand-made bindings: that waits for a second admin on /it/approvals`,
      );
    const [{ switchId, jobId }] = pushed as [{ switchId: number; interface: string; jobId: number }];
    const found = routed.ports[0]!;
    await writeAudit(tx, actor, {
      action: "port_security.push_now",
      entityType: "switch_port",
      entityId: `${switchId}:${found.interface}`,
      after: { serverId, kind: found.kind, jobId, ports: routed.ports.map((p) => `${p.switch.name}:${p.interface}`) },
    });
    return { jobId, switchId, interface: found.interface };
  });
}
