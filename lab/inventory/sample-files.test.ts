import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { computeInventoryDrift } from "@/lib/inventory/drift";
import { parseIpAddressesConf } from "@/lib/inventory/ip-addresses-conf";
import { buildLiveGuest, toDriftGuests } from "@/lib/inventory/live-guest";
import { parseVmidTable } from "@/lib/inventory/vmid-table";
import { createLabInventoryWorld } from "./world";

const here = path.dirname(new URL(import.meta.url).pathname);
const read = (name: string) => readFileSync(path.join(here, name), "utf8");

// The lab's declared inventory must stay readable: the demo and the e2e import use these files.
describe("lab inventory files", () => {
  const conf = parseIpAddressesConf(read("ip-addresses.conf"));
  const doc = parseVmidTable(read("ALL_VMIDS_ENDPOINTS.md"));

  it("parse without problems", () => {
    expect(conf.problems).toEqual([]);
    expect(doc.problems).toEqual([]);
    expect(conf.entries).toHaveLength(47);
    expect(doc.rows.map((r) => r.vmid)).toContain(10233);
  });

  it("differ from the lab cluster by exactly the intended drift", () => {
    const world = createLabInventoryWorld();
    expect(world.nodes).toHaveLength(5);
    expect(world.guests.length).toBeGreaterThanOrEqual(40);
    // What the collector sees: the config, and the agent's answer only from running guests that have one.
    const guests = world.guests.map((g) =>
      buildLiveGuest({ ...g, status: g.status ?? "running" }, g.config, g.interfaces ? g.interfaces.map((i) => ({ mac: i.mac, ips: i.ips })) : null),
    );
    const drift = computeInventoryDrift({ guests: toDriftGuests({ nodes: [], guests }), conf: conf.entries, doc: doc.rows });
    expect(drift).toEqual({
      guest_ips_not_in_ip_addresses_conf: [{ vmid: 7810, name: "grafana", ip: "192.168.11.180" }],
      ip_addresses_conf_ips_not_on_guests: [{ key: "LEGACY_DNS", ip: "192.168.11.53" }],
      vmid_ip_mismatch: [{ vmid: 10234, name: "npm-secondary", documented: ["192.168.11.168"], live: ["192.168.11.169"] }],
      guests_only_in_doc: [{ vmid: 6200, name: "old-monitoring" }],
      guests_only_on_cluster: [{ vmid: 9001, name: "besu-rpc-2-clone", node: "r630-04" }],
      duplicate_guest_ips: [{ ip: "192.168.11.212", vmids: [2102, 9001] }],
    });
  });
});
