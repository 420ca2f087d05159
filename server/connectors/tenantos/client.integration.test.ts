import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDedicatedServer, startLabTenantos, type LabTenantos } from "@/e2e/lab/tenantos";
import { createTenantosClient } from "./client";

let panel: LabTenantos;

beforeAll(async () => {
  panel = await startLabTenantos({
    world: {
      servers: [
        labDedicatedServer({
          connections: [
            { id: 1, type: "snmp_switch", switchId: 3, portId: 12, portName: "ge-0/0/12", switchAutomation: true },
            { id: 2, type: "pdu", switchId: 0, portId: 4, portName: "outlet 4", switchAutomation: false },
          ],
        }),
      ],
      subnets: [{ id: 48, subnet: "10.0.48.0/24", vlanId: 13 }],
      networkDevices: [{ id: 3, name: "ex4200-a", managementIp: "127.0.0.1", sshPort: 3922 }],
    },
  });
});
afterAll(() => panel.close());

const client = (over: Partial<Parameters<typeof createTenantosClient>[0]> = {}) => createTenantosClient({ baseUrl: panel.url, apiKey: panel.apiKey, timeoutMs: 2_000, ...over });

describe("Tenantos connector against the lab", () => {
  it("reads a server, its IPs, its switch connection, the subnet's VLAN and the switch", async () => {
    const c = client();
    expect(await c.getServer(7)).toEqual({ id: 7, name: "dedi-7", hostname: "dedi-7.hosting.test", primaryIp: "10.0.48.5", pxeMac: "aa:bb:cc:00:00:07" });
    expect(await c.getIpAssignments(7)).toEqual([
      { ip: "10.0.48.5", subnetId: 48, isPrimary: true },
      { ip: "10.0.48.6", subnetId: 48, isPrimary: false },
    ]);
    expect(await c.getSwitchConnections(7)).toEqual([{ connectionId: 1, switchId: 3, portId: 12, portName: "ge-0/0/12", isSwitchAutomationOn: true }]);
    expect(await c.getSubnetVlan(48)).toBe(13);
    expect(await c.getNetworkDevice(3)).toEqual({ id: 3, name: "ex4200-a", managementIp: "127.0.0.1", sshPort: 3922 });
    expect((await c.getServerByIp("10.0.48.6"))?.id).toBe(7);
    expect(await c.getServerByIp("10.9.9.9")).toBeNull();
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
