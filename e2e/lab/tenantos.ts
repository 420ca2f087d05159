import http from "node:http";
import type { AddressInfo } from "node:net";

// The lab's Tenantos panel API over real HTTP: Bearer API key, every answer wrapped as {"result": …}.
// Field names follow what the controller reads; see server/connectors/tenantos/client.ts.
export interface LabTenantosServer {
  id: number;
  servername: string;
  hostname: string;
  /** The MAC the server PXE-boots from: its primary IP binds to it. */
  pxeMac: string;
  ips: Array<{ ip: string; subnetId: number; isPrimary: boolean }>;
  connections: Array<{ id: number; type: "snmp_switch" | "pdu" | "ipmi"; switchId: number; portId: number; portName: string; switchAutomation: boolean }>;
}

export interface LabTenantosWorld {
  servers: LabTenantosServer[];
  subnets: Array<{ id: number; subnet: string; vlanId: number }>;
  networkDevices: Array<{ id: number; name: string; managementIp: string; sshPort?: number }>;
}

export interface LabTenantos {
  url: string;
  apiKey: string;
  world: LabTenantosWorld;
  /** Answer 5xx to the next `count` requests, as a panel under load does. */
  failNext(count: number): void;
  requests: number;
  close(): Promise<void>;
}

export async function startLabTenantos(opts: { port?: number; world: LabTenantosWorld; apiKey?: string }): Promise<LabTenantos> {
  const apiKey = opts.apiKey ?? "lab-tenantos-api-key";
  const world = opts.world;
  let failures = 0;
  const state = { requests: 0 };
  const send = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

  const server = http.createServer((req, res) => {
    state.requests++;
    if (failures > 0) {
      failures--;
      return send(res, 502, { message: "Bad Gateway" });
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(res, 401, { message: "Unauthenticated." });
    const p = new URL(req.url ?? "/", "http://lab").pathname.replace(/^\/api\//, "").split("/").map(decodeURIComponent);
    const server = (id: string) => world.servers.find((s) => s.id === Number(id));
    if (p[0] === "servers" && p[1] === "getByIp" && p[2]) {
      const s = world.servers.find((x) => x.ips.some((i) => i.ip === p[2]));
      return s ? send(res, 200, { result: summary(s) }) : send(res, 404, { message: "No server found" });
    }
    if (p[0] === "servers" && p.length === 1) return send(res, 200, { result: world.servers.map(summary) });
    if (p[0] === "servers" && p[1]) {
      const s = server(p[1]);
      if (!s) return send(res, 404, { message: "Server not found" });
      if (p.length === 2) return send(res, 200, { result: summary(s) });
      if (p[2] === "ipassignments") return send(res, 200, { result: s.ips.map((i) => ({ ip: i.ip, subnet_id: i.subnetId, primary_ip: i.isPrimary ? 1 : 0 })) });
      if (p[2] === "connections") {
        return send(res, 200, {
          result: s.connections.map((c) => ({ id: c.id, related_data: { type: c.type }, meta: { switchId: c.switchId, portId: c.portId, portName: c.portName, switchAutomation: c.switchAutomation } })),
        });
      }
    }
    if (p[0] === "subnets" && p[2] === "withDetails") {
      const sn = world.subnets.find((x) => x.id === Number(p[1]));
      return sn ? send(res, 200, { result: { id: sn.id, subnet: sn.subnet, vlan: { vlan_id: sn.vlanId } } }) : send(res, 404, { message: "Subnet not found" });
    }
    if (p[0] === "networkDevices" && p[2] === "extendedDetails") {
      const d = world.networkDevices.find((x) => x.id === Number(p[1]));
      return d ? send(res, 200, { result: { id: d.id, name: d.name, ip: d.managementIp, ssh_port: d.sshPort ?? 22 } }) : send(res, 404, { message: "Device not found" });
    }
    send(res, 404, { message: "Route not found" });
  });
  const summary = (s: LabTenantosServer) => ({ id: s.id, servername: s.servername, hostname: s.hostname, primaryip: s.ips.find((i) => i.isPrimary)?.ip ?? null, pxe_mac: s.pxeMac });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    world,
    failNext: (n) => {
      failures = n;
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The lab's standard dedicated server (id 7, PXE MAC, primary 10.0.48.5, on ge-0/0/12 of device 3); tests vary it. */
export function labDedicatedServer(overrides: Partial<LabTenantosServer> = {}): LabTenantosServer {
  return {
    id: 7,
    servername: "dedi-7",
    hostname: "dedi-7.hosting.test",
    pxeMac: "aa:bb:cc:00:00:07",
    ips: [
      { ip: "10.0.48.5", subnetId: 48, isPrimary: true },
      { ip: "10.0.48.6", subnetId: 48, isPrimary: false },
    ],
    connections: [{ id: 1, type: "snmp_switch", switchId: 3, portId: 12, portName: "ge-0/0/12", switchAutomation: true }],
    ...overrides,
  };
}
