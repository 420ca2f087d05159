import { describe, expect, it } from "vitest";
import { inventorySnapshots, switches, vmacs } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { buildViewer, callerFor } from "@/server/testing/factories";
import { createAddress } from "../ipam/addresses";
import { createPrefix } from "../ipam/prefixes";
import { storeBackup } from "../switches/backups";
import { computeIpamDrift, type IpamRecord } from "@/lib/inventory/ipam-drift";
import { toDriftGuests } from "@/lib/inventory/live-guest";
import { sql } from "drizzle-orm";
import { getIpamDriftSide } from "./queries";

const { db } = await createTestDatabase();
const admin = { id: "admin@test.sankofa" };
const secretsKey = Buffer.alloc(32, 3);

const guest = (vmid: number, name: string, ips: string[]) => ({
  vmid,
  name,
  node: "pve1",
  type: "qemu" as const,
  status: "running",
  cpus: 1,
  mem_bytes: 1,
  nics: [],
  config_ips: ips,
  live_ips: null,
});

describe("drift.json: IPAM against Proxmox and against the switches", () => {
  it("reports each kind from the real tables, the switches' latest backups and the VMACs", async () => {
    await createPrefix(db, admin, { prefix: "10.20.0.0/24" });
    await createAddress(db, admin, { address: "10.20.0.5", vmid: 105, hostname: "gone-vm" });
    await createAddress(db, admin, { address: "10.20.0.6", vmid: 106, hostname: "moved", mac: "02:00:00:00:00:06" });
    await createAddress(db, admin, { address: "10.20.0.7", status: "released" });
    await createAddress(db, admin, { address: "10.20.0.8", vmid: 108, mac: "02:00:00:00:00:08" });
    await db.insert(inventorySnapshots).values({
      status: "ok",
      trigger: "manual",
      collectedAt: new Date(),
      data: { nodes: [], guests: [guest(107, "other", ["10.20.0.6", "10.20.0.9"]), guest(108, "vmac-guest", ["10.20.0.8"])] },
    });
    const [sw] = await db.insert(switches).values({ name: "ex-drift", host: "127.0.0.1", username: "x", dialect: "non-els" }).returning();
    await storeBackup(db, secretsKey, {
      switchId: sw!.id,
      reason: "scheduled",
      text: [
        "set vlans v20 vlan-id 20",
        "set ethernet-switching-options secure-access-port interface ge-0/0/1 static-ip 10.20.0.7 vlan v20 mac 02:00:00:00:00:07",
        "set ethernet-switching-options secure-access-port interface ge-0/0/1 static-ip 10.20.0.6 vlan v20 mac 02:00:00:00:00:66",
      ].join("\n"),
    });
    await db.insert(vmacs).values({ ip: "10.20.0.8", mac: "02:00:00:00:88:88", serverId: 5 });

    const drift = await callerFor(db, buildViewer(), { secretsKey }).inventory.drift();
    expect(drift.ipam_addresses_not_on_guests).toEqual([{ ip: "10.20.0.5", vmid: 105, hostname: "gone-vm" }]);
    expect(drift.ipam_vmid_mismatch).toEqual([{ ip: "10.20.0.6", ipam_vmid: 106, live_vmids: [107] }]);
    expect(drift.guest_ips_not_in_ipam).toEqual([{ vmid: 107, name: "other", ip: "10.20.0.9", ipam_status: null }]);
    expect(drift.vmac_ipam_mismatch).toEqual([{ ip: "10.20.0.8", vmac: "02:00:00:00:88:88", ipam_mac: "02:00:00:00:00:08" }]);
    expect(drift.bindings_on_released_addresses).toEqual([
      { switch: "ex-drift", interface: "ge-0/0/1.0", ip: "10.20.0.7", mac: "02:00:00:00:00:07", vlan: "v20" },
    ]);
    expect(drift.binding_mac_mismatch).toEqual([
      { switch: "ex-drift", interface: "ge-0/0/1.0", ip: "10.20.0.6", bound_mac: "02:00:00:00:00:66", ipam_mac: "02:00:00:00:00:06" },
    ]);
    expect(drift.ipam).toEqual({ addresses: 4, bindings: 2 });
    expect(drift.counts).toMatchObject({ ipam_addresses_not_on_guests: 1, bindings_on_released_addresses: 1, binding_mac_mismatch: 1 });

    // Without the secrets key (the dashboard's read) the switches are not read: those kinds are empty.
    const keyless = await callerFor(db, buildViewer()).inventory.alerts();
    expect(keyless.duplicateGuestIps).toEqual([]);
  });

  it("reads only the addresses drift can name, and finds what a read of every address finds", async () => {
    await createPrefix(db, admin, { prefix: "10.30.0.0/24" });
    const statuses = ["planned", "active", "deprecated", "released"] as const;
    // Every mix: each status, with and without a VMID and a MAC; some held by guests, bound or VMAC'd.
    for (let i = 1; i <= 160; i++) {
      await createAddress(db, admin, {
        address: `10.30.0.${i}`,
        status: statuses[i % 4]!,
        vmid: i % 3 === 0 ? 3000 + (i % 7) : undefined,
        mac: i % 5 === 0 ? `02:00:00:00:30:${(i % 256).toString(16).padStart(2, "0")}` : undefined,
      });
    }
    const guests = Array.from({ length: 7 }, (_, g) =>
      guest(3000 + g, `g${g}`, [`10.30.0.${g * 11 + 2}`, `10.30.0.${g * 13 + 3}`, `10.30.0.${200 + g}`, ...(g === 0 ? ["not-an-ip"] : [])]),
    );
    await db.insert(inventorySnapshots).values({ status: "ok", trigger: "manual", collectedAt: new Date(), data: { nodes: [], guests } });
    const [sw] = await db.insert(switches).values({ name: "ex-drift-2", host: "127.0.0.1", username: "x", dialect: "non-els" }).returning();
    await storeBackup(db, secretsKey, {
      switchId: sw!.id,
      reason: "scheduled",
      text: [
        "set vlans v30 vlan-id 30",
        ...[4, 8, 10, 41, 250].map(
          (h) =>
            `set ethernet-switching-options secure-access-port interface ge-0/0/2 static-ip 10.30.0.${h} vlan v30 mac 02:00:00:00:31:${h.toString(16).padStart(2, "0")}`,
        ),
      ].join("\n"),
    });
    await db
      .insert(vmacs)
      .values([20, 22, 25, 251].map((h) => ({ ip: `10.30.0.${h}`, mac: `02:00:00:00:32:${h.toString(16).padStart(2, "0")}`, serverId: 6 })));

    const guestIps = toDriftGuests({ nodes: [], guests }).flatMap((g) => g.ips);
    const side = await getIpamDriftSide(db, secretsKey, guestIps);
    const every = [
      ...(await db.execute<IpamRecord & Record<string, unknown>>(sql`select host(address) as address, status, vmid, hostname, mac from ipam_addresses`)),
    ];
    expect(side.addressCount).toBe(every.length);
    expect(side.addresses.length).toBeLessThan(every.length / 2);
    const args = { guests: toDriftGuests({ nodes: [], guests }), bindings: side.bindings, vmacs: side.vmacs };
    // The same findings; their order follows the rows read, so compare each kind as a set.
    const bySet = (d: ReturnType<typeof computeIpamDrift>) =>
      Object.fromEntries(Object.entries(d).map(([k, rows]) => [k, (rows as unknown[]).map((r) => JSON.stringify(r)).sort()]));
    const fromSide = computeIpamDrift({ ...args, ipam: side.addresses });
    const fromAll = computeIpamDrift({ ...args, ipam: every });
    expect(bySet(fromSide)).toEqual(bySet(fromAll));
    // Not a comparison of two empty reports: every kind has something to say here.
    for (const [kind, rows] of Object.entries(fromAll)) expect(rows.length, kind).toBeGreaterThan(0);
  });
});
