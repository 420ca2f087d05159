import { withLabNodeNetworks } from "./edge-world";
import { createLabInventoryWorld } from "./inventory/world";
import type { LabProxmoxWorld } from "./proxmox";
import type { LabTenantosWorld } from "./tenantos";

// The demo world: two EX switches, a billing panel with dedicated servers and two Proxmox nodes,
// wired together the way a small hosting floor is (traffic on most switch ports, so usage metering
// has bandwidth to read; 203 and 208 keep no samples, as an unmonitored port would). Used by
// `npm run lab`, `npm run dev` with nothing configured, and the Playwright specs, so all three see
// the same servers.

export interface DemoSwitchRef {
  /** Tenantos's network-device id of the switch: how the panel's connections name it. */
  tenantosDeviceId: number;
}

export const DEMO_SWITCHES = {
  ex4200: { tenantosDeviceId: 101 },
  ex3400: { tenantosDeviceId: 102 },
} as const satisfies Record<string, DemoSwitchRef>;

/** The EX3400 names its VLANs its own way (bindings must use these names, not `VLAN.<id>`). */
export const DEMO_EX3400_VLAN_NAMES: Record<number, string> = { 11: "v11-infra", 13: "v13-customers", 20: "v20-hosting", 99: "v99-oob", 200: "v200-tenants" };

/** The port the panel's range-mode subnet put server 208 on, and the VLAN the switch gave it. */
export const DEMO_RANGE_PORT = { interface: "ge-0/0/9", vlan: "VLAN.20" } as const;

/** Which Tenantos server is which Proxmox node, as an admin confirmed it (never inferred). */
export const DEMO_NODE_SERVERS = [
  { node: "r630-01", serverId: 204 },
  { node: "r630-04", serverId: 205 },
] as const;

const port = (id: number, device: DemoSwitchRef, portName: string, switchAutomation = true) => ({
  id,
  type: "snmp_switch" as const,
  switchId: device.tenantosDeviceId,
  portId: id,
  portName,
  switchAutomation,
});

export function buildDemoTenantosWorld(switchHosts: { ex4200: string; ex3400: string }): LabTenantosWorld {
  const { ex4200, ex3400 } = DEMO_SWITCHES;
  return {
    subnets: [
      { id: 11, subnet: "192.168.11.0/24", vlanId: 11 },
      { id: 13, subnet: "10.13.0.0/24", vlanId: 13 },
      { id: 99, subnet: "10.99.0.0/24", vlanId: 99 },
      // Range mode: Tenantos gives each port its own VLAN from 20–29; the switch shows which.
      { id: 20, subnet: "10.20.0.0/24", vlanMode: "range", range: { start: 20, end: 29 } },
    ],
    networkDevices: [
      { id: ex4200.tenantosDeviceId, name: "lab-ex4200", managementIp: switchHosts.ex4200 },
      { id: ex3400.tenantosDeviceId, name: "lab-ex3400", managementIp: switchHosts.ex3400 },
    ],
    servers: [
      {
        id: 201,
        servername: "dedi-201",
        hostname: "dedi-201.demo.sankofa",
        pxeMac: "aa:bb:cc:02:01:00",
        ips: [
          { ip: "10.13.0.21", subnetId: 13, isPrimary: true },
          { ip: "10.13.0.22", subnetId: 13, isPrimary: false },
        ],
        connections: [port(2011, ex4200, "ge-0/0/5")],
        traffic: { inBps: 40_000_000, outBps: 180_000_000, isDaily: true, burstEvery: 50, burstFactor: 3 },
      },
      {
        id: 202,
        servername: "dedi-202",
        hostname: "dedi-202.demo.sankofa",
        pxeMac: "aa:bb:cc:02:02:00",
        ips: [
          { ip: "10.13.0.31", subnetId: 13, isPrimary: true },
          { ip: "10.13.0.32", subnetId: 13, isPrimary: false },
          { ip: "10.99.0.33", subnetId: 99, isPrimary: false },
        ],
        connections: [port(2021, ex4200, "ge-0/0/6")],
        traffic: { inBps: 12_000_000, outBps: 25_000_000, isDaily: true },
      },
      // Automation switched off in the panel: its events are skipped with that reason.
      {
        id: 203,
        servername: "dedi-203",
        hostname: "dedi-203.demo.sankofa",
        pxeMac: "aa:bb:cc:02:03:00",
        ips: [{ ip: "10.13.0.41", subnetId: 13, isPrimary: true }],
        connections: [port(2031, ex4200, "ge-0/0/7", false)],
      },
      // Bonded over two switches (one snmp_switch connection per port): both ports get its bindings.
      {
        id: 206,
        servername: "bond-206",
        hostname: "bond-206.demo.sankofa",
        pxeMac: "aa:bb:cc:02:06:00",
        ips: [{ ip: "10.13.0.51", subnetId: 13, isPrimary: true }],
        connections: [port(2061, ex4200, "ge-0/0/8"), port(2062, ex3400, "ge-0/0/8")],
        traffic: { inBps: 90_000_000, outBps: 350_000_000, isDaily: true, burstEvery: 30, burstFactor: 2 },
      },
      // On the range-mode subnet: its VLAN is the one the switch port carries.
      {
        id: 208,
        servername: "range-208",
        hostname: "range-208.demo.sankofa",
        pxeMac: "aa:bb:cc:02:08:00",
        ips: [{ ip: "10.20.0.61", subnetId: 20, isPrimary: true }],
        connections: [port(2081, ex4200, DEMO_RANGE_PORT.interface)],
      },
      // A customer VM (Proxmox guest 2101 on r630-01): no switch connection of its own; its events refresh its node's uplink.
      {
        id: 207,
        servername: "besu-rpc-1",
        hostname: "besu-rpc-1.demo.sankofa",
        ips: [
          { ip: "192.168.11.211", subnetId: 11, isPrimary: true },
          { ip: "192.168.11.215", subnetId: 11, isPrimary: false },
        ],
        connections: [],
      },
      // Proxmox nodes of the cluster (mapped by an admin, DEMO_NODE_SERVERS): their uplinks carry every guest's binding.
      {
        id: 204,
        servername: "r630-01",
        hostname: "r630-01.demo.sankofa",
        pxeMac: "aa:bb:cc:02:04:00",
        ips: [{ ip: "192.168.11.11", subnetId: 11, isPrimary: true }],
        connections: [port(2041, ex3400, "ae0")],
        traffic: { inBps: 300_000_000, outBps: 450_000_000, isDaily: true },
      },
      {
        id: 205,
        servername: "r630-04",
        hostname: "r630-04.demo.sankofa",
        pxeMac: "aa:bb:cc:02:05:00",
        ips: [{ ip: "192.168.11.14", subnetId: 11, isPrimary: true }],
        connections: [port(2051, ex3400, "ae1")],
        traffic: { inBps: 220_000_000, outBps: 260_000_000, isDaily: true },
      },
    ],
  };
}

/**
 * The demo's cluster is the inventory lab's (five nodes, 41 guests, the drift its comment names):
 * one world for port security, inventory and drift. r630-01 and r630-04 are Tenantos servers.
 * Its nodes' NICs and bonds (`/nodes/{node}/network`) are the edge world's (lab/edge-world.ts).
 */
export function buildDemoProxmoxWorld(): LabProxmoxWorld {
  return withLabNodeNetworks(createLabInventoryWorld());
}
