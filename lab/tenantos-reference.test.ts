import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDedicatedServer, startLabTenantos, type LabTenantos } from "./tenantos";

// The lab Tenantos's answers against Tenantos's published shapes (api.tenantos.com/docs and the
// public OpenAPI copy, shadmanZero/tenantos-api gh-pages openapi/index.html, examples 2025-08), as
// the steering repo's shared/reference/tenantos-api.md lists them. Written from that list, not from
// the connector: the keys each documented example has, and the ones it does not have.
const DOCUMENTED = {
  server: { has: ["id", "primaryip", "trafficStatistics"], hasNot: ["primary_ip", "pxe_mac", "mac", "pxeMac"] },
  assignment: { has: ["id", "updated_at", "ip", "primary_ip", "description", "ipAttributes", "subnetinformation"], hasNot: ["subnet_id"] },
  subnetinformation: {
    has: ["cidr", "subnet", "netmask", "gw", "type", "rdnsAvailable", "vlanAutomationAvailable", "subnetOwnedByUser", "rootSubnetId", "isExternalProvider"],
    hasNot: ["id", "vlan"],
  },
  connection: { has: ["id", "agentId", "serverId", "types", "agent_details", "related_data"], hasNot: ["meta"] },
  snmpSwitchMeta: { has: ["switchId", "portId"], hasNot: ["portName"] },
  dhcpMeta: { has: ["pxe_mac"], hasNot: [] },
  subnet: {
    has: [
      "enable_switch_automation",
      "vlan_mode",
      "access_vlan_generation_mode",
      "static_access_vlan_id",
      "range_start_access_vlan_id",
      "range_end_access_vlan_id",
      "trunk_vlans",
      "vlan_layer3_mode",
      "reuse_access_vlan",
      "use_existing_port_access_vlan",
      "vlanAutomationAvailable",
    ],
    hasNot: ["vlan", "vlan_id"],
  },
  subnetDetails: { has: ["ips", "childSubnets", "usageStatistics"], hasNot: [] },
  networkDevice: { has: ["ports", "extendedDetails", "managementVendor", "enableAdvancedManagement", "extendedDetailsAvailable"], hasNot: [] },
  devicePort: { has: ["id", "name", "assignments"], hasNot: [] },
  trafficStatistics: { has: ["1d", "7d", "14d", "30d", "95th_in_30d", "95th_out_30d", "95th_total_30d"], hasNot: [] },
} as const;

function expectShape(value: unknown, shape: { has: readonly string[]; hasNot: readonly string[] }) {
  const keys = Object.keys(value as object);
  for (const k of shape.has) expect(keys, `documented key ${k}`).toContain(k);
  for (const k of shape.hasNot) expect(keys, `undocumented key ${k}`).not.toContain(k);
}

let lab: LabTenantos;
beforeAll(async () => {
  lab = await startLabTenantos({
    world: {
      servers: [labDedicatedServer()],
      subnets: [{ id: 48, subnet: "10.0.48.0/24", vlanId: 13 }],
      networkDevices: [{ id: 3, name: "ex4200-a" }],
    },
  });
});
afterAll(() => lab.close());

async function get(path: string): Promise<{ result: unknown; message: string }> {
  const res = await fetch(`${lab.url}/api${path}`, { headers: { authorization: `Bearer ${lab.apiKey}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { result: unknown; message: string };
}

describe("the lab Tenantos answers in Tenantos's documented shapes", () => {
  it("wraps every answer as {result, message}", async () => {
    expect(Object.keys(await get("/servers/7")).sort()).toEqual(["message", "result"]);
  });

  it("servers, IP assignments, connections, subnets and network devices", async () => {
    expectShape((await get("/servers/7")).result, DOCUMENTED.server);
    const [a] = (await get("/servers/7/ipassignments")).result as Array<Record<string, unknown>>;
    expectShape(a, DOCUMENTED.assignment);
    expectShape(a!.subnetinformation, DOCUMENTED.subnetinformation);
    expect(a!.primary_ip).toBe(1);
    const conns = (await get("/servers/7/connections")).result as Array<{ related_data: { type: string; meta: object } }>;
    for (const c of conns) expectShape(c, DOCUMENTED.connection);
    expectShape(conns.find((c) => c.related_data.type === "snmp_switch")!.related_data.meta, DOCUMENTED.snmpSwitchMeta);
    expectShape(conns.find((c) => c.related_data.type === "dhcp")!.related_data.meta, DOCUMENTED.dhcpMeta);
    const [subnet] = (await get("/subnets")).result as object[];
    expectShape(subnet, DOCUMENTED.subnet);
    expectShape((await get("/subnets/48/withDetails")).result, {
      has: [...DOCUMENTED.subnet.has, ...DOCUMENTED.subnetDetails.has],
      hasNot: DOCUMENTED.subnet.hasNot,
    });
    const device = (await get("/networkDevices/3/extendedDetails")).result as { ports: object[]; extendedDetails: { ports: object[] } };
    expectShape(device, DOCUMENTED.networkDevice);
    for (const p of device.ports) expectShape(p, DOCUMENTED.devicePort);
    expect(device.extendedDetails.ports.map((p) => Object.keys(p).sort())).toEqual([["alias", "id", "ifType", "linkSpeed", "name", "portOperStatus"]]);
  });

  it('a server\'s trafficStatistics: the documented keys, each a decimal string as in the examples ("2.15")', async () => {
    const { trafficStatistics } = (await get("/servers/7")).result as { trafficStatistics: Record<string, unknown> };
    expectShape(trafficStatistics, DOCUMENTED.trafficStatistics);
    for (const v of Object.values(trafficStatistics)) expect(v).toMatch(/^\d+\.\d{2}$/);
  });
});
