import path from "node:path";
import { buildDemoProxmoxWorld, buildDemoTenantosWorld, DEMO_EX3400_VLAN_NAMES, DEMO_RANGE_PORT, DEMO_SWITCHES } from "./demo-world";
import { buildLabNpmWorld, buildLabUnifiWorld, DEMO_EDGE_ADDRESSES, describeLabCablingEntries, LAB_JUNOS_LINKS } from "./edge-world";
import { startLab, type Lab, type LabConfig } from "./index";

export interface DemoLabPorts {
  tenantos: number;
  proxmox: number;
  ex4200: number;
  ex3400: number;
  /** The UniFi console and NPM of the edge path; left out, they do not start. */
  unifi?: number;
  npm?: number;
}

/**
 * The demo world on loopback: two switches (state and host keys kept under `dataDir` when given,
 * so a restart finds the same switches), the panel and the cluster. The caller points the console at it.
 */
export async function startDemoLab(opts: { dataDir?: string; ports: DemoLabPorts; timeScale?: number; oidc?: LabConfig["oidc"] }): Promise<Lab> {
  const host = "127.0.0.1";
  const dir = (name: string) => (opts.dataDir ? path.join(opts.dataDir, name) : undefined);
  return startLab({
    oidc: opts.oidc,
    switches: [
      {
        name: "lab-ex4200",
        dialect: "non-els",
        port: opts.ports.ex4200,
        dataDir: dir("lab-ex4200"),
        timeScale: opts.timeScale ?? 60,
        links: LAB_JUNOS_LINKS["lab-ex4200"],
        initialConfig: [
          "set system host-name lab-ex4200",
          "set ethernet-switching-options secure-access-port interface ge-0/0/1.0 mac-limit 4",
          // Where the panel's range-mode subnet put server 208: the port's access VLAN.
          `set interfaces ${DEMO_RANGE_PORT.interface} unit 0 family ethernet-switching vlan members ${DEMO_RANGE_PORT.vlan}`,
        ].join("\n"),
      },
      {
        name: "lab-ex3400",
        dialect: "els",
        port: opts.ports.ex3400,
        dataDir: dir("lab-ex3400"),
        timeScale: opts.timeScale ?? 60,
        initialConfig: "set system host-name lab-ex3400",
        links: LAB_JUNOS_LINKS["lab-ex3400"],
        vlanName: (id) => DEMO_EX3400_VLAN_NAMES[id] ?? `VLAN.${id}`,
      },
    ],
    tenantos: { port: opts.ports.tenantos, world: buildDemoTenantosWorld({ ex4200: host, ex3400: host }) },
    proxmox: { port: opts.ports.proxmox, world: buildDemoProxmoxWorld() },
    ...(opts.ports.unifi !== undefined ? { unifi: { port: opts.ports.unifi, world: buildLabUnifiWorld() } } : {}),
    ...(opts.ports.npm !== undefined ? { npm: { port: opts.ports.npm, world: buildLabNpmWorld() } } : {}),
  });
}

export const DEMO_DEVICE_IDS: Record<string, number> = {
  "lab-ex4200": DEMO_SWITCHES.ex4200.tenantosDeviceId,
  "lab-ex3400": DEMO_SWITCHES.ex3400.tenantosDeviceId,
};

/**
 * Servers the first start sends events for: one of each outcome (pushed with a VMAC, skipped, a
 * node), the bond over both switches and the range-mode server, so IPAM shows what Tenantos assigns.
 */
export const DEMO_EVENT_SERVERS: readonly number[] = [201, 203, 204, 206, 208];

/**
 * What the console is pointed at for the demo's edge: the lab console's API key and certificate pin,
 * NPM's account, the cabling as an admin would type it (LAG per node pair, VLAN 11 native, 20 and 200
 * tagged; all but r630-01's, which the port map proposes) and the IPAM records the findings need. Plain values: the seed never imports the lab.
 */
export function buildDemoEdgeRefs(lab: Pick<Lab, "unifi" | "npm">) {
  if (!lab.unifi || !lab.npm) throw new Error("demo edge: the lab's UniFi console and NPM are not running");
  return {
    unifi: { url: lab.unifi.url, apiKey: lab.unifi.apiKey, fingerprint256: lab.unifi.fingerprint256 },
    npm: { url: lab.npm.url, identity: lab.npm.identity, secret: lab.npm.secret },
    // r630-01's ports are left to the network to propose (UniFi's LLDP), for an admin to confirm.
    portMap: describeLabCablingEntries()
      .filter((entry) => entry.farHost !== "r630-01")
      .map((entry) => ({
        ...entry,
        bond: `lag-${Math.ceil(Number(entry.port) / 2)}`,
        vlanMode: "trunk" as const,
        nativeVlan: 11,
        taggedVlans: [20, 200],
        speedMbps: 10_000,
      })),
    addresses: DEMO_EDGE_ADDRESSES,
  };
}
