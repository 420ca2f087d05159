import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explainAddress } from "./explain";
import { computeDedicatedPlan, computeUplinkPlan, isSkipAbout, resolveGuestOwners, type ClusterGuest, type PortPlanResult, type VmLink } from "./plan";
import { defaultVlanName } from "./rules";

// Generated worlds: nodes, guests (clones included: a guest may carry another's address), Tenantos
// VM servers (an address may be assigned to two), stored links, allowlists. Over every world, the
// push (each uplink's plan) and "why" agree on every address; no address is bound to a MAC other
// than its holder's; and no address Tenantos still assigns to an identified VM is dropped.

const POOL = Array.from({ length: 8 }, (_, i) => `10.0.48.${i + 1}`);
const nodeIp = (n: number) => `10.0.11.${10 + n}`;

const worldArb = fc
  .record({
    nodeCount: fc.integer({ min: 1, max: 3 }),
    guests: fc.array(
      fc.record({
        node: fc.integer({ min: 0, max: 2 }),
        vlanId: fc.constantFrom(11, 13, undefined),
        configIps: fc.uniqueArray(fc.constantFrom(...POOL), { maxLength: 2 }),
        /** The Tenantos VM server it is, if any, with the IPs assigned to it. */
        server: fc.option(fc.uniqueArray(fc.constantFrom(...POOL), { maxLength: 3 }), { nil: undefined }),
        isLinked: fc.boolean(),
      }),
      { maxLength: 6 },
    ),
    /** Dedicated servers: a primary and additional addresses, some with a VMAC. */
    dedicated: fc.array(
      fc.record({
        ips: fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: 3 }),
        vmacFor: fc.uniqueArray(fc.constantFrom(...POOL), { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
    allowlist: fc.constantFrom<number[]>([], [13], [11, 13], [11]),
  })
  .map((w) => {
    const guests: ClusterGuest[] = w.guests.map((g, i) => ({
      vmid: 100 + i,
      name: `g${i}`,
      node: `n${g.node % w.nodeCount}`,
      nics: [{ name: "net0", mac: `bc:24:11:00:00:${(i + 16).toString(16)}`, vlanId: g.vlanId, configIps: g.configIps, agentIps: [] }],
    }));
    // Tenantos: servers 200+i for the guests that are VMs it knows; getByIp answers the first holder.
    const assignments = new Map<number, string[]>();
    w.guests.forEach((g, i) => g.server && assignments.set(200 + i, g.server));
    const nodeServers = Array.from({ length: w.nodeCount }, (_, n) => ({ id: 1000 + n, ips: [nodeIp(n)] }));
    const dedicated = w.dedicated.map((d, j) => ({
      serverId: 300 + j,
      pxeMac: `aa:bb:cc:00:03:${(j + 16).toString(16)}`,
      ips: d.ips,
      vmacs: new Map(
        d.vmacFor.filter((ip) => d.ips.slice(1).includes(ip)).map((ip, k) => [ip, `02:00:00:03:${(j + 16).toString(16)}:${(k + 16).toString(16)}`]),
      ),
    }));
    // getByIp answers one holder: the first server (VMs, then dedicated) Tenantos assigns it to.
    const holders = new Map<string, number | null>();
    for (const ip of [...POOL, ...nodeServers.map((n) => n.ips[0]!)]) {
      const node = nodeServers.find((n) => n.ips.includes(ip));
      const vm = [...assignments].find(([, ips]) => ips.includes(ip))?.[0];
      holders.set(ip, node ? node.id : (vm ?? dedicated.find((d) => d.ips.includes(ip))?.serverId ?? null));
    }
    const links = new Map<number, VmLink>();
    w.guests.forEach((g, i) => g.server && g.isLinked && links.set(100 + i, { vmid: 100 + i, serverId: 200 + i, mac: null }));
    return { ...w, guests, assignments, nodeServers, holders, links, dedicated };
  });

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function planAll(w: World) {
  const nodeServerIds = new Set(w.nodeServers.map((n) => n.id));
  const { owners } = resolveGuestOwners({ guests: w.guests, links: w.links, holders: w.holders, nodeServerIds });
  const plans = new Map<string, PortPlanResult>();
  for (let n = 0; n < w.nodeCount; n++) {
    plans.set(
      `n${n}`,
      computeUplinkPlan(
        {
          node: `n${n}`,
          nodeServer: w.nodeServers[n]!,
          guests: w.guests,
          links: w.links,
          holders: w.holders,
          nodeServerIds,
          owners,
          assignments: w.assignments,
          ipam: new Map(),
          untaggedVlanId: 11,
        },
        w.allowlist,
        defaultVlanName,
      ),
    );
  }
  // A dedicated server's port: its addresses configured on any guest are claimed twice.
  for (const d of w.dedicated) {
    const otherClaims = new Map<string, string[]>();
    for (const g of w.guests)
      for (const ip of g.nics[0]!.configIps) if (d.ips.includes(ip)) otherClaims.set(ip, [...(otherClaims.get(ip) ?? []), `VM ${g.vmid}`]);
    const fact = (ip: string) => ({ ip, vlan: { vlanId: 13 } });
    plans.set(
      `server-${d.serverId}`,
      computeDedicatedPlan(
        {
          serverId: d.serverId,
          pxeMac: d.pxeMac,
          primary: fact(d.ips[0]!),
          additional: d.ips.slice(1).map(fact),
          vmacs: d.vmacs,
          otherClaims,
          holders: w.holders,
        },
        w.allowlist,
        defaultVlanName,
      ),
    );
  }
  return { plans, owners };
}

describe("the plan over generated worlds", () => {
  it("why and the push agree; no address on a MAC but its holder's; no still-assigned address dropped", () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const { plans, owners } = planAll(w);
        const bound = [...plans].flatMap(([node, p]) => p.bindings.map((b) => ({ node, b })));

        // Bound once at most, on the MAC of the guest that holds it.
        expect(new Set(bound.map((x) => x.b.ip)).size).toBe(bound.length);
        for (const { b } of bound) {
          const source = b.source;
          if (source.kind === "tenantos" || source.kind === "vmac") {
            const d = w.dedicated.find((x) => x.serverId === source.serverId)!;
            expect(b.mac).toBe(source.kind === "tenantos" ? d.pxeMac : d.vmacs.get(b.ip));
            expect(w.holders.get(b.ip)).toBe(d.serverId);
            expect(w.guests.filter((g) => g.nics.some((n) => n.configIps.includes(b.ip)))).toEqual([]);
            continue;
          }
          if (source.kind !== "proxmox") throw new Error("no manual binding here");
          const guest = w.guests.find((g) => g.vmid === source.vmid)!;
          expect(b.mac).toBe(guest.nics[0]!.mac);
          // Its Tenantos holder is the server this guest is (or nobody, for a VM Tenantos does not know).
          expect(w.holders.get(b.ip) ?? null).toBe(source.serverId);
          // Nobody else in the cluster is configured with it.
          expect(w.guests.filter((g) => g.vmid !== guest.vmid && g.nics.some((n) => n.configIps.includes(b.ip)))).toEqual([]);
        }

        // An identified VM keeps every address Tenantos assigns it that nobody else claims.
        for (const g of w.guests) {
          const owner = owners.get(g.vmid);
          if (owner == null) continue;
          const vlanId = g.nics[0]!.vlanId ?? 11;
          if (w.allowlist.length && !w.allowlist.includes(vlanId)) continue;
          for (const ip of w.assignments.get(owner) ?? []) {
            const isContested =
              w.holders.get(ip) !== owner ||
              w.guests.some(
                (o) =>
                  o.vmid !== g.vmid &&
                  (o.nics[0]!.configIps.includes(ip) || (owners.get(o.vmid) != null && w.assignments.get(owners.get(o.vmid)!)?.includes(ip))),
              );
            if (!isContested) expect(bound.some((x) => x.b.ip === ip && x.node === g.node)).toBe(true);
          }
        }

        // "Why", read from the same plans as they stand after the push, says what the push did.
        for (const ip of [...POOL, ...w.nodeServers.flatMap((n) => n.ips)]) {
          const entry =
            [...plans].find(([, p]) => p.bindings.some((b) => b.ip === ip)) ?? [...plans].find(([, p]) => p.leftOut.some((s) => isSkipAbout(s, ip)));
          const holder = w.holders.get(ip) ?? null;
          const why = explainAddress({
            ip,
            tenantos: holder === null ? null : { serverId: holder, serverName: null },
            preview: entry
              ? {
                  blockedReason: null,
                  target: {
                    switchName: "sw",
                    interface: `port-${entry[0]}`,
                    kind: entry[0].startsWith("server-") ? "dedicated" : "vm-node",
                    proxmoxNode: entry[0],
                  },
                  desired: entry[1].bindings,
                  skipped: entry[1].leftOut,
                  flags: entry[1].flags,
                  current: entry[1].bindings,
                  currentAsOf: new Date(0),
                }
              : null,
            lastPush: null,
            boundAt: [],
            ipam: null,
            vmac: null,
          });
          const isBound = bound.some((x) => x.b.ip === ip);
          expect(why.verdict === "bound").toBe(isBound);
          // Not bound: left out with a reason, nobody holds it, or its holder has no port here.
          if (!isBound) expect(["skipped", "not-assigned", "blocked"]).toContain(why.verdict);
        }
      }),
      { numRuns: 300 },
    );
  });
});
