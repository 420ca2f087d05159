import type { LabProxmoxWorld } from "./proxmox";
import type { LabTenantosWorld } from "./tenantos";

// The demo world: two EX switches, a billing panel with dedicated servers and two Proxmox nodes,
// wired together the way a small hosting floor is. Used by `npm run lab`, `npm run dev` with
// nothing configured, and the Playwright specs, so all three see the same servers.

export interface DemoSwitchRef {
  /** Tenantos's network-device id of the switch: how the panel's connections name it. */
  tenantosDeviceId: number;
}

export const DEMO_SWITCHES = {
  ex4200: { tenantosDeviceId: 101 },
  ex3400: { tenantosDeviceId: 102 },
} as const satisfies Record<string, DemoSwitchRef>;

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
      { id: 11, subnet: "10.11.0.0/24", vlanId: 11 },
      { id: 13, subnet: "10.13.0.0/24", vlanId: 13 },
      { id: 99, subnet: "10.99.0.0/24", vlanId: 99 },
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
      },
      // Automation switched off in the panel: its events are skipped with that reason.
      { id: 203, servername: "dedi-203", hostname: "dedi-203.demo.sankofa", pxeMac: "aa:bb:cc:02:03:00", ips: [{ ip: "10.13.0.41", subnetId: 13, isPrimary: true }], connections: [port(2031, ex4200, "ge-0/0/7", false)] },
      { id: 204, servername: "pve-01", hostname: "pve-01.demo.sankofa", pxeMac: "aa:bb:cc:02:04:00", ips: [{ ip: "10.11.0.11", subnetId: 11, isPrimary: true }], connections: [port(2041, ex3400, "ae0")] },
      { id: 205, servername: "pve-02", hostname: "pve-02.demo.sankofa", pxeMac: "aa:bb:cc:02:05:00", ips: [{ ip: "10.11.0.12", subnetId: 11, isPrimary: true }], connections: [port(2051, ex3400, "ae1")] },
    ],
  };
}

export function buildDemoProxmoxWorld(): LabProxmoxWorld {
  const qemu = (vmid: number, name: string, node: string, mac: string, ip: string, tag?: number) => ({
    vmid,
    name,
    node,
    type: "qemu" as const,
    config: { net0: `virtio=${mac},bridge=vmbr0${tag ? `,tag=${tag}` : ""}`, ipconfig0: `ip=${ip}/24,gw=${ip.replace(/\.\d+$/, ".1")}` },
    interfaces: [{ name: "eth0", mac, ips: [ip] }],
  });
  return {
    nodes: [
      { node: "pve-01", maxcpu: 32, maxmem: 256 * 2 ** 30, maxdisk: 4 * 2 ** 40 },
      { node: "pve-02", maxcpu: 24, maxmem: 128 * 2 ** 30, maxdisk: 2 * 2 ** 40 },
    ],
    guests: [
      qemu(2101, "web-1", "pve-01", "BC:24:11:21:01:00", "10.11.0.101"),
      qemu(2102, "web-2", "pve-01", "BC:24:11:21:02:00", "10.11.0.102"),
      qemu(2103, "db-1", "pve-01", "BC:24:11:21:03:00", "10.13.0.103", 13),
      { vmid: 2104, name: "dns-1", node: "pve-01", type: "lxc", config: { net0: "name=eth0,hwaddr=BC:24:11:21:04:00,bridge=vmbr0,ip=10.11.0.104/24" } },
      qemu(2201, "mail-1", "pve-02", "BC:24:11:22:01:00", "10.11.0.121"),
      qemu(2202, "backup-1", "pve-02", "BC:24:11:22:02:00", "10.99.0.122", 99),
      // No address configured: the preview lists it as skipped, with the reason.
      { vmid: 2203, name: "scratch", node: "pve-02", type: "qemu", config: { net0: "virtio=BC:24:11:22:03:00,bridge=vmbr0", ipconfig0: "ip=dhcp" } },
    ],
  };
}
