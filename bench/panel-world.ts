// The panel side for the benches: a lab Tenantos with N dedicated servers spread over the bench
// switches (server i on switch i % S, port ge-0/0/(i / S)), in this process so a bench can change
// the world while events flow.
import { startLabTenantos, type LabTenantos, type LabTenantosServer } from "@/lab/tenantos";
import { createOutsideSystems } from "@/server/connectors/outside-systems";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { benchDeviceId } from "./support";

export const benchServerId = (i: number) => 5000 + i;
export const benchPrimaryIp = (i: number, round: number) => `10.${100 + (round % 100)}.${Math.floor(i / 250)}.${(i % 250) + 1}`;
export const benchPxeMac = (i: number) =>
  `02:aa:00:00:${Math.floor(i / 256)
    .toString(16)
    .padStart(2, "0")}:${(i % 256).toString(16).padStart(2, "0")}`;

export function buildBenchServer(i: number, switches: number): LabTenantosServer {
  return {
    id: benchServerId(i),
    servername: `bench-${i}`,
    hostname: `bench-${i}.bench`,
    pxeMac: benchPxeMac(i),
    ips: [{ ip: benchPrimaryIp(i, 0), subnetId: 13, isPrimary: true }],
    connections: [
      {
        id: i + 1,
        type: "snmp_switch",
        switchId: benchDeviceId(i % switches),
        portId: i + 1,
        portName: `ge-0/0/${Math.floor(i / switches)}`,
        switchAutomation: true,
      },
    ],
  };
}

export async function startBenchPanel(servers: number, switches: number): Promise<{ tenantos: LabTenantos; panel: OutsideSystems }> {
  const tenantos = await startLabTenantos({
    world: {
      servers: Array.from({ length: servers }, (_, i) => buildBenchServer(i, switches)),
      subnets: [{ id: 13, subnet: "10.0.0.0/8", vlanId: 13 }],
      networkDevices: [],
    },
  });
  const panel = createOutsideSystems({ tenantos: { baseUrl: tenantos.url, apiKey: tenantos.apiKey }, untaggedVlanId: 11 })!;
  return { tenantos, panel };
}
