import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDedicatedServer, startLabTenantos, type LabTenantos } from "@/lab/tenantos";
import { createTenantosClient } from "./client";

let panel: LabTenantos;

beforeAll(async () => {
  panel = await startLabTenantos({
    world: {
      servers: [
        labDedicatedServer({
          connections: [
            { id: 1, type: "snmp_switch", switchId: 3, portId: 12, portName: "ge-0/0/12", switchAutomation: true },
            { id: 2, type: "snmp_switch", switchId: 4, portId: 12, portName: "ge-1/0/12", switchAutomation: true },
            { id: 3, type: "ipmi", switchId: 0, portId: 0, portName: "" },
          ],
        }),
      ],
      subnets: [
        { id: 48, subnet: "10.0.48.0/24", vlanId: 13 },
        { id: 60, subnet: "10.0.60.0/24", vlanMode: "range", range: { start: 600, end: 699 }, enableSwitchAutomation: false },
      ],
      networkDevices: [{ id: 3, name: "ex4200-a" }],
    },
  });
});
afterAll(() => panel.close());

const client = (over: Partial<Parameters<typeof createTenantosClient>[0]> = {}) =>
  createTenantosClient({ baseUrl: panel.url, apiKey: panel.apiKey, timeoutMs: 2_000, ...over });

describe("Tenantos connector against the lab (documented shapes)", () => {
  it("reads a server, its IPs with their subnets, its connections, the subnets' flat VLAN fields and a device's port names", async () => {
    const c = client();
    expect(await c.getServer(7)).toEqual({ id: 7, name: "dedi-7", hostname: "dedi-7.hosting.test", primaryIp: "10.0.48.5" });
    expect(await c.getIpAssignments(7)).toEqual([
      { ip: "10.0.48.5", isPrimary: true, subnet: { network: "10.0.48.0", cidr: 24, rootSubnetId: 48 } },
      { ip: "10.0.48.6", isPrimary: false, subnet: { network: "10.0.48.0", cidr: 24, rootSubnetId: 48 } },
    ]);
    // The PXE MAC comes from the dhcp connection; a bond is two snmp_switch connections.
    expect(await c.getServerConnections(7)).toEqual({
      pxeMac: "aa:bb:cc:00:00:07",
      switchPorts: [
        { connectionId: 1, switchId: 3, portId: 12, isSwitchAutomationOn: true },
        { connectionId: 2, switchId: 4, portId: 12, isSwitchAutomationOn: true },
      ],
    });
    expect(await c.listSubnets()).toEqual([
      { id: 48, network: "10.0.48.0", cidr: 24, isSwitchAutomationOn: true, vlanGenerationMode: "fixed", staticAccessVlanId: 13 },
      { id: 60, network: "10.0.60.0", cidr: 24, isSwitchAutomationOn: false, vlanGenerationMode: "range", staticAccessVlanId: null },
    ]);
    expect(await c.getNetworkDevicePorts(3)).toEqual(new Map([[12, "ge-0/0/12"]]));
    expect((await c.getServerByIp("10.0.48.6"))?.id).toBe(7);
    expect(await c.getServerByIp("10.9.9.9")).toBeNull();
    // getByIp is IPv4 only: an IPv6 address is not asked.
    const before = panel.requests;
    expect(await c.getServerByIp("2001:db8::5")).toBeNull();
    expect(panel.requests).toBe(before);
  });

  it("retries a 5xx, then answers", async () => {
    panel.failNext(2);
    const before = panel.requests;
    expect((await client().getServer(7)).id).toBe(7);
    expect(panel.requests - before).toBe(3);
  });

  it("gives clear errors for a bad key, a missing server and a panel that keeps failing", async () => {
    await expect(client({ apiKey: "wrong" }).getServer(7)).rejects.toMatchObject({ kind: "auth" });
    await expect(client().getServer(999)).rejects.toMatchObject({ kind: "not-found", message: expect.stringContaining("/servers/999") });
    panel.failNext(5);
    await expect(client({ retries: 1 }).getServer(7)).rejects.toMatchObject({ kind: "http", message: expect.stringContaining("502") });
    panel.failNext(0);
  });
});

describe("a panel answer that is not the documented shape", () => {
  it("names the field and the path it came from (a switch id under the wrong key is never a NaN)", async () => {
    // A panel whose connection meta lacks switchId: the error says so instead of a NaN reaching SQL.
    const odd = http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ result: [{ id: 5, related_data: { id: 5, type: "snmp_switch", meta: { switch: 3, portId: 1 } } }], message: "success" }));
    });
    await new Promise<void>((r) => odd.listen(0, "127.0.0.1", r));
    afterAll(() => new Promise<void>((r) => odd.close(() => r())));
    const c = createTenantosClient({ baseUrl: `http://127.0.0.1:${(odd.address() as AddressInfo).port}`, apiKey: "k", timeoutMs: 2_000 });
    await expect(c.getServerConnections(9)).rejects.toMatchObject({
      kind: "shape",
      message: "Tenantos /servers/9/connections: result[0].related_data.meta.switchId is missing",
    });
  });
});
