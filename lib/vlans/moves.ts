import { guestAddresses, type LiveInventoryGuest } from "../inventory/snapshot";
import { findContainingPrefix } from "../ipam/values";

// The VLAN migration as a plan: per host, a move to a target address and VLAN, its wave, and
// whether it may start. What an admin said (planned, in progress, done) is stored; "ready" and
// "blocked" are computed here from IPAM and the latest live inventory each time it is read.

export type Wave = 1 | 2 | 3 | 4;

/** The spec's order: management first, then what tenants reach, then the chain, then our own apps. */
export const WAVES: ReadonlyArray<{ wave: Wave; name: string }> = [
  { wave: 1, name: "out-of-band / IPMI" },
  { wave: 2, name: "tenant-facing (VLAN 200+)" },
  { wave: 3, name: "validators / RPC" },
  { wave: 4, name: "Sankofa app tier" },
];
export const waveName = (w: Wave) => WAVES.find((x) => x.wave === w)!.name;

const OUT_OF_BAND = /\b(ipmi|idrac|ilo|bmc|oob|mgmt|management|out-of-band)\b/i;
// A guess, written as one: the spec lists no wave for network infrastructure changing role (its
// ML110 becoming the WAN aggregator). Everything after it depends on that path, so it goes with
// the management wave; an admin can set the wave by hand.
const NETWORK_ROLE = /\b(wan|router|gateway|firewall|aggregator|switch|edge-router)\b/i;
const CHAIN = /\b(validator|rpc|sentry|besu)\b/i;
export const TENANT_VID_FROM = 200;

/** The wave a move belongs to, and why: the admin's choice, else the rule, checked in wave order. */
export function computeWave(m: {
  hostname: string;
  targetVid: number;
  targetVlanName?: string | null;
  fromRole?: string | null;
  toRole?: string | null;
  wave?: number | null;
}): { wave: Wave; reason: string } {
  if (m.wave && m.wave >= 1 && m.wave <= 4) return { wave: m.wave as Wave, reason: "set by an admin" };
  const words = [m.hostname, m.fromRole, m.toRole].filter(Boolean).join(" ");
  if (OUT_OF_BAND.test(words) || OUT_OF_BAND.test(m.targetVlanName ?? ""))
    return { wave: 1, reason: OUT_OF_BAND.test(words) ? "out-of-band host" : `target VLAN ${m.targetVid} (${m.targetVlanName}) is management` };
  if (m.toRole && NETWORK_ROLE.test(m.toRole)) return { wave: 1, reason: `becomes network infrastructure (${m.toRole})` };
  if (m.targetVid >= TENANT_VID_FROM) return { wave: 2, reason: `target VLAN ${m.targetVid} is tenant-facing (${TENANT_VID_FROM}+)` };
  if (CHAIN.test(words)) return { wave: 3, reason: "validator or RPC node" };
  return { wave: 4, reason: "the rest: Sankofa's own services" };
}

export type StoredMoveStatus = "planned" | "in_progress" | "done";
export type MoveStatus = "planned" | "ready" | "blocked" | "in_progress" | "done";

export interface PlanMove {
  id: number;
  hostname: string;
  vmid: number | null;
  targetAddress: string;
  targetVid: number;
  fromRole: string | null;
  toRole: string | null;
  wave: number | null;
  status: StoredMoveStatus;
  statusChangedAt: Date | null;
  note?: string | null;
}

export interface MoveCheck {
  name: "target_vlan" | "address_on_vlan" | "address_held" | "not_live_elsewhere" | "role_cutover" | "earlier_waves" | "live_inventory";
  isOk: boolean;
  detail: string;
}

export interface MovePlan extends PlanMove {
  wave: Wave;
  /** The admin's wave, when set (`wave` is then the same). */
  waveOverride: number | null;
  waveReason: string;
  /** Where it sits now: its IPAM addresses that are active, with their VLAN. */
  current: Array<{ address: string; vid: number | null }>;
  displayStatus: MoveStatus;
  checks: MoveCheck[];
  /** Checks that fail, as sentences: what blocks the move. */
  blockers: string[];
  /** For a move marked done: does the latest collection show it there? */
  liveCheck: { state: "live" | "not-live" | "unknown"; detail: string } | null;
}

export interface PlanFacts {
  vlans: ReadonlyArray<{ vid: number; name: string }>;
  prefixes: ReadonlyArray<{ prefix: string; vid: number | null }>;
  /** IPAM rows of the target addresses and the hosts' active addresses. */
  addresses: ReadonlyArray<{ address: string; hostname: string | null; status: "planned" | "active" | "deprecated" | "released" }>;
  /** The latest good collection, or null when there is none. */
  live: { collectedAt: Date; guests: readonly LiveInventoryGuest[] } | null;
}

const list = (xs: readonly string[], max = 3) => xs.slice(0, max).join(", ") + (xs.length > max ? `, and ${xs.length - max} more` : "");

function findGuest(guests: readonly LiveInventoryGuest[], m: Pick<PlanMove, "hostname" | "vmid">): LiveInventoryGuest | undefined {
  return guests.find((g) => (m.vmid !== null ? g.vmid === m.vmid : g.name === m.hostname));
}

/**
 * Is a move marked done true in the latest collection? The guest must answer on the target address
 * (config or agent), and a NIC configured with it must carry the target VLAN's tag when it has one.
 * A collection older than the "done" mark cannot say yet.
 */
export function checkMoveLive(m: PlanMove, live: PlanFacts["live"]): NonNullable<MovePlan["liveCheck"]> {
  if (!live) return { state: "unknown", detail: "no live inventory collected yet" };
  if (m.statusChangedAt && live.collectedAt < m.statusChangedAt)
    return { state: "unknown", detail: "no collection since it was marked done: refresh the live inventory to check it" };
  const guest = findGuest(live.guests, m);
  if (!guest) return { state: "not-live", detail: `${m.vmid !== null ? `VMID ${m.vmid}` : m.hostname} is not a guest in the latest collection` };
  if (!guestAddresses(guest).includes(m.targetAddress))
    return { state: "not-live", detail: `${guest.name} does not answer on ${m.targetAddress} (it has ${guestAddresses(guest).join(", ") || "no address"})` };
  const nic = guest.nics.find((n) => n.config_ips.includes(m.targetAddress));
  if (nic && nic.vlan_tag !== null && nic.vlan_tag !== m.targetVid)
    return { state: "not-live", detail: `${guest.name} has ${m.targetAddress} on a NIC tagged VLAN ${nic.vlan_tag}, not ${m.targetVid}` };
  return { state: "live", detail: `${guest.name} answers on ${m.targetAddress}` };
}

/**
 * Every move with its wave, its checks and its status, in wave order. A planned move is "ready"
 * when every check passes, "blocked" with the failing checks named, and stays "planned" while
 * there is no live inventory to check against. Earlier waves must be done before a later one starts.
 */
export function planMoves(moves: readonly PlanMove[], facts: PlanFacts): MovePlan[] {
  const vlanName = new Map(facts.vlans.map((v) => [v.vid, v.name]));
  const ipam = new Map(facts.addresses.map((a) => [a.address, a]));
  const withWave = moves.map((m) => ({ m, ...computeWave({ ...m, targetVlanName: vlanName.get(m.targetVid) }) }));
  const notDone = (w: Wave) => withWave.filter((x) => x.wave < w && x.m.status !== "done");
  const guests = facts.live?.guests ?? [];

  const out = withWave.map(({ m, wave, reason }): MovePlan => {
    const checks: MoveCheck[] = [];
    const name = vlanName.get(m.targetVid);
    checks.push({
      name: "target_vlan",
      isOk: name !== undefined,
      detail: name !== undefined ? `VLAN ${m.targetVid} (${name})` : `VLAN ${m.targetVid} is not in IPAM`,
    });
    const prefix = findContainingPrefix(m.targetAddress, facts.prefixes);
    checks.push({
      name: "address_on_vlan",
      isOk: prefix?.vid === m.targetVid,
      detail: !prefix
        ? `${m.targetAddress} is outside every prefix`
        : prefix.vid === m.targetVid
          ? `${m.targetAddress} is in ${prefix.prefix} on VLAN ${m.targetVid}`
          : `${m.targetAddress} is in ${prefix.prefix}, which is on ${prefix.vid === null ? "no VLAN" : `VLAN ${prefix.vid}`}, not ${m.targetVid}`,
    });
    const held = ipam.get(m.targetAddress);
    const isHeldElsewhere = held !== undefined && held.hostname !== m.hostname;
    checks.push({
      name: "address_held",
      isOk: !isHeldElsewhere,
      detail: isHeldElsewhere
        ? `${m.targetAddress} is ${held.status} in IPAM for ${held.hostname ?? "no host"}`
        : `${m.targetAddress} is held in IPAM for ${m.hostname}`,
    });
    if (!facts.live) checks.push({ name: "live_inventory", isOk: false, detail: "no live inventory collected yet: nothing to check the move against" });
    else {
      const others = guests.filter((g) => findGuest([g], m) === undefined && guestAddresses(g).includes(m.targetAddress)).map((g) => g.name);
      checks.push({
        name: "not_live_elsewhere",
        isOk: others.length === 0,
        detail: others.length ? `${m.targetAddress} is live on ${others.join(", ")}` : `${m.targetAddress} is live on no other guest`,
      });
      if (m.fromRole === "proxmox-host") {
        const hosted = guests.filter((g) => g.node === m.hostname).map((g) => g.name);
        checks.push({
          name: "role_cutover",
          isOk: hosted.length === 0,
          detail: hosted.length
            ? `${m.hostname} still hosts ${hosted.length} guests (${list(hosted)}): move them off before it becomes ${m.toRole ?? "something else"}`
            : `${m.hostname} hosts no guests`,
        });
      }
    }
    const waiting = notDone(wave);
    if (waiting.length) {
      const firstWave = Math.min(...waiting.map((x) => x.wave)) as Wave;
      checks.push({
        name: "earlier_waves",
        isOk: false,
        detail: `wave ${firstWave} (${waveName(firstWave)}) is not done: ${list(waiting.filter((x) => x.wave === firstWave).map((x) => x.m.hostname))}`,
      });
    }
    const failing = checks.filter((c) => !c.isOk);
    const blockers = failing.filter((c) => c.name !== "live_inventory").map((c) => c.detail);
    const displayStatus: MoveStatus = m.status !== "planned" ? m.status : blockers.length ? "blocked" : failing.length ? "planned" : "ready";
    const current = facts.addresses
      .filter((a) => a.hostname === m.hostname && a.status === "active" && a.address !== m.targetAddress)
      .map((a) => ({ address: a.address, vid: findContainingPrefix(a.address, facts.prefixes)?.vid ?? null }));
    return {
      ...m,
      wave,
      waveOverride: m.wave,
      waveReason: reason,
      current,
      displayStatus,
      checks,
      blockers,
      liveCheck: m.status === "done" ? checkMoveLive(m, facts.live) : null,
    };
  });
  return out.sort((a, b) => a.wave - b.wave || a.hostname.localeCompare(b.hostname));
}
