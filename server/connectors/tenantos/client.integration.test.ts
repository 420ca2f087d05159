import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labDedicatedServer, startLabTenantos, type LabTenantos } from "@/lab/tenantos";
import { createTenantosClient } from "./client";

let panel: LabTenantos;
// The panel's clock: 01:20 UTC, the nightly collection's time.
const panelNow = new Date("2026-11-02T01:20:00Z");

beforeAll(async () => {
  panel = await startLabTenantos({
    now: () => panelNow,
    world: {
      servers: [
        labDedicatedServer({
          // 2 Mbit/s in, 0.5 out per port; 5× bursts in one slot of 40 (2.5%: under the 5% the 95th drops).
          traffic: { inBps: 2_000_000, outBps: 500_000, burstEvery: 40, burstFactor: 5 },
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
    expect(await c.getServer(7)).toMatchObject({ id: 7, name: "dedi-7", hostname: "dedi-7.hosting.test", primaryIp: "10.0.48.5" });
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

  it("reads a day of 5-minute traffic samples per port, and the panel's own 30-day 95th in Mbit/s", async () => {
    const c = client();
    const ports = await c.getNetworkGraph(7, new Date("2026-11-01T00:00:00Z"), new Date("2026-11-01T23:59:59Z"));
    expect(ports).toHaveLength(2); // the bond's two switch ports; the IPMI connection carries none
    for (const samples of ports) {
      expect(samples).toHaveLength(288);
      expect(samples[0]!.at.toISOString()).toBe("2026-11-01T00:00:00.000Z");
      expect(samples.at(-1)!.at.toISOString()).toBe("2026-11-01T23:55:00.000Z");
      expect(new Set(samples.map((s) => s.inBps))).toEqual(new Set([2_000_000, 10_000_000]));
    }
    // Two ports at 2 + 0.5 Mbit/s; the bursts are under 5% of the slots, so the 95th leaves them out.
    expect((await c.getServer(7)).traffic95thMbps).toEqual({ in: 4, out: 1, total: 5 });
    expect((await c.listServers())[0]!.traffic95thMbps).toEqual({ in: 4, out: 1, total: 5 });
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

  it("fails a traffic read whose samples are not the guessed {time, in, out}, naming the keys the panel sent", async () => {
    // The sample fields are our guess (the docs give none): another shape must stop the day, never read as zero.
    const answers: Record<string, unknown> = {
      "/api/servers/1/stats/network/graph": [{ id: 12, stats: [{ date: "2026-11-01 00:00:00", rx: 1, tx: 2 }] }],
      // Ports keyed by id instead of listed: the docs leave that open, so both are read.
      "/api/servers/2/stats/network/graph": { "12": { stats: [{ time: "2026-11-01 00:05:00", in: 8, out: 9 }] } },
      "/api/servers/3/stats/network/graph": [{ id: 12, stats: [{ time: "yesterday", in: 8, out: 9 }] }],
    };
    const bodies: unknown[] = [];
    const odd = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c));
      req.on("end", () => {
        bodies.push({ method: req.method, body: JSON.parse(raw) });
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ result: answers[req.url ?? ""], message: "success" }));
      });
    });
    await new Promise<void>((r) => odd.listen(0, "127.0.0.1", r));
    afterAll(() => new Promise<void>((r) => odd.close(() => r())));
    const c = createTenantosClient({ baseUrl: `http://127.0.0.1:${(odd.address() as AddressInfo).port}`, apiKey: "k", timeoutMs: 2_000 });
    const day = [new Date("2026-11-01T00:00:00Z"), new Date("2026-11-01T23:59:59Z")] as const;
    await expect(c.getNetworkGraph(1, ...day)).rejects.toMatchObject({
      kind: "shape",
      message: expect.stringContaining("result[0].stats[0] is not the sample we read ({time, in, out}, a guess: the docs give no fields); it has date, rx, tx"),
    });
    // The range goes as the documented example writes dates: UTC, seconds, no zone.
    expect(bodies[0]).toEqual({ method: "POST", body: { from: "2026-11-01T00:00:00", to: "2026-11-01T23:59:59" } });
    expect(await c.getNetworkGraph(2, ...day)).toEqual([[{ at: new Date("2026-11-01T00:05:00Z"), inBps: 8, outBps: 9 }]]);
    await expect(c.getNetworkGraph(3, ...day)).rejects.toMatchObject({ message: expect.stringContaining("result[0].stats[0].time is not a date") });
  });
});
