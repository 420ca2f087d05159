import { describe, expect, it } from "vitest";
import { buildLiveGuest, toDriftGuests } from "./live-guest";
import { ALL_DRIFT_KINDS, buildDriftJson, limitDriftLists } from "./report";
import { isSnapshotStale, STALE_AFTER_MS, type LiveInventoryData } from "./snapshot";

describe("isSnapshotStale", () => {
  const now = new Date("2026-03-02T12:00:00Z");
  const at = (msAgo: number) => new Date(now.getTime() - msAgo);
  it("is current only when recent and not followed by a failure", () => {
    expect(isSnapshotStale({ collectedAt: at(60_000), lastFailedAt: null, now })).toBe(false);
    expect(isSnapshotStale({ collectedAt: at(60_000), lastFailedAt: at(120_000), now })).toBe(false);
  });
  it("is stale after a later failed collection, when too old, or when there is none", () => {
    expect(isSnapshotStale({ collectedAt: at(60_000), lastFailedAt: at(1_000), now })).toBe(true);
    expect(isSnapshotStale({ collectedAt: at(STALE_AFTER_MS + 1), lastFailedAt: null, now })).toBe(true);
    expect(isSnapshotStale({ collectedAt: null, lastFailedAt: null, now })).toBe(true);
  });
});

describe("buildLiveGuest", () => {
  const resource = { vmid: 300, name: "vm", node: "n1", type: "qemu" as const, status: "running", maxcpu: 4, maxmem: 2 ** 32 };
  it("keeps config and live addresses apart, drops loopback and link-local, and tells no agent (null) from none", () => {
    const g = buildLiveGuest(resource, { net0: "virtio=BC:24:11:00:03:00,bridge=vmbr0,tag=11", ipconfig0: "ip=dhcp" }, [
      { mac: "00:00:00:00:00:00", ips: ["127.0.0.1", "::1"] },
      { mac: "bc:24:11:00:03:00", ips: ["10.0.0.9", "fe80::1", "10.0.0.9"] },
    ]);
    expect(g).toMatchObject({ cpus: 4, mem_bytes: 2 ** 32, config_ips: [], live_ips: ["10.0.0.9"] });
    expect(g.nics).toEqual([{ index: 0, mac: "bc:24:11:00:03:00", bridge: "vmbr0", vlan_tag: 11, config_ips: [] }]);
    expect(buildLiveGuest(resource, { net0: "virtio=BC:24:11:00:03:00,bridge=vmbr0", ipconfig0: "ip=10.0.0.8/24" }, null)).toMatchObject({
      config_ips: ["10.0.0.8"],
      live_ips: null,
    });
  });
  it("feeds drift with config and live addresses together, once each", () => {
    const g = buildLiveGuest(resource, { net0: "virtio=BC:24:11:00:03:00,bridge=vmbr0", ipconfig0: "ip=10.0.0.8/24" }, [{ ips: ["10.0.0.8", "10.0.0.99"] }]);
    expect(toDriftGuests({ nodes: [], guests: [g] })[0]!.ips).toEqual(["10.0.0.8", "10.0.0.99"]);
  });
});

describe("buildDriftJson", () => {
  const freshness = { collected_at: "2026-03-02T12:00:00.000Z", is_stale: false, error: null };
  const data: LiveInventoryData = {
    nodes: [],
    guests: [
      buildLiveGuest({ vmid: 100, name: "a", node: "n1", type: "lxc", status: "running" }, { net0: "name=eth0,hwaddr=BC:24:11:00:01:00,ip=10.0.0.1/24" }, null),
    ],
  };
  it("reports unknown (counts null), not 'no drift', without data or without declared files", () => {
    expect(buildDriftJson({ freshness, data: null, conf: { content: "A=10.0.0.1" }, doc: null }).counts).toBeNull();
    expect(buildDriftJson({ freshness, data, conf: null, doc: null }).counts).toBeNull();
  });
  it("compares the live data with IPAM alone when no file is declared", () => {
    const ipam = {
      addresses: [{ address: "10.0.0.77", status: "active" as const, vmid: 77, hostname: null, mac: null }],
      addressCount: 1,
      bindings: [],
      vmacs: [],
    };
    const drift = buildDriftJson({ freshness, data, conf: null, doc: null, ipam });
    expect(drift.counts).toMatchObject({ ipam_addresses_not_on_guests: 1, guest_ips_not_in_ip_addresses_conf: 0 });
    expect(drift.ipam).toEqual({ addresses: 1, bindings: 0 });
  });
  it("computes only the kinds the imported files allow, and passes lines it could not read on", () => {
    const drift = buildDriftJson({ freshness, data, conf: { content: "A=10.0.0.1\nB=$A\nC=10.0.0.2\n", name: "ip.conf" }, doc: null });
    expect(drift.counts).toEqual({
      guest_ips_not_in_ip_addresses_conf: 0,
      ip_addresses_conf_ips_not_on_guests: 1,
      vmid_ip_mismatch: 0,
      guests_only_in_doc: 0,
      guests_only_on_cluster: 0,
      duplicate_guest_ips: 0,
      ipam_addresses_not_on_guests: 0,
      guest_ips_not_in_ipam: 0,
      ipam_vmid_mismatch: 0,
      bindings_not_in_ipam: 0,
      bindings_on_released_addresses: 0,
      binding_mac_mismatch: 0,
      vmac_ipam_mismatch: 0,
    });
    // Without the VMID doc every guest would be "only on the cluster": not computed instead.
    expect(drift.guests_only_on_cluster).toEqual([]);
    expect(drift.declared.ip_addresses_conf).toMatchObject({ name: "ip.conf", entries: 2, problems: [{ line: 2 }] });
    expect(drift.declared.vmid_doc).toBeNull();
  });
});

describe("limitDriftLists (a page's cut of drift)", () => {
  const guests = Array.from({ length: 250 }, (_, i) => ({
    vmid: 1000 + i,
    name: `vm${i}`,
    node: "n1",
    type: "qemu" as const,
    status: "running",
    cpus: 1,
    mem_bytes: 1,
    nics: [],
    config_ips: [`10.9.${Math.floor(i / 200)}.${i % 200}`, "10.9.9.9"],
    live_ips: null,
  }));
  const full = buildDriftJson({
    freshness: { collected_at: null, is_stale: false, error: null },
    data: { nodes: [], guests },
    conf: { content: "A=10.8.0.1\n" },
    doc: null,
    ipam: { addresses: [{ address: "10.8.0.2", status: "active", vmid: null, hostname: null, mac: null }], addressCount: 1, bindings: [], vmacs: [] },
  });
  it("cuts every long list to its first rows and keeps the counts whole", () => {
    const cut = limitDriftLists(full, 20);
    expect(full.guest_ips_not_in_ip_addresses_conf).toHaveLength(500);
    expect(cut.guest_ips_not_in_ip_addresses_conf).toEqual(full.guest_ips_not_in_ip_addresses_conf!.slice(0, 20));
    expect(cut.counts).toEqual(full.counts);
    for (const kind of ALL_DRIFT_KINDS) {
      const rows = cut[kind] as unknown[] | undefined;
      expect(rows?.length ?? 0).toBe(Math.min(20, full.counts![kind]));
    }
    expect(limitDriftLists(full, 1000)).toEqual(full);
  });
});
