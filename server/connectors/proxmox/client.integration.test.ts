import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { createProxmoxClient, ProxmoxError } from "./client";
import { collectNodeVmFacts } from "./node-facts";

let pve: LabProxmox;

beforeAll(async () => {
  pve = await startLabProxmox({
    world: {
      nodes: [
        {
          node: "r630-01",
          maxcpu: 32,
          maxmem: 256 * 2 ** 30,
          maxdisk: 2 * 2 ** 40,
          storage: [
            {
              storage: "local",
              type: "dir",
              total: 100 * 2 ** 30,
              used: 0,
              content: "vztmpl,iso",
              templates: ["local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"],
            },
            { storage: "local-lvm", type: "lvmthin", total: 50 * 2 ** 30, used: 0 },
          ],
        },
        { node: "ml110", maxcpu: 8, maxmem: 64 * 2 ** 30, maxdisk: 2 ** 40 },
      ],
      guests: [
        {
          vmid: 2101,
          name: "besu-rpc-1",
          node: "r630-01",
          type: "qemu",
          config: { net0: "virtio=BC:24:11:00:21:01,bridge=vmbr0,tag=13", ipconfig0: "ip=10.0.48.211/24,gw=10.0.48.1" },
        },
        // DHCP guest: its address comes from the agent.
        {
          vmid: 2102,
          name: "dhcp-vm",
          node: "r630-01",
          type: "qemu",
          config: { net0: "virtio=BC:24:11:00:21:02,bridge=vmbr0" },
          interfaces: [{ name: "eth0", mac: "bc:24:11:00:21:02", ips: ["127.0.0.1", "10.0.11.77", "fe80::1"] }],
        },
        { vmid: 2103, name: "no-agent", node: "r630-01", type: "qemu", config: { net0: "virtio=BC:24:11:00:21:03,bridge=vmbr0", ipconfig0: "ip=dhcp" } },
        {
          vmid: 7800,
          name: "portal",
          node: "r630-01",
          type: "lxc",
          status: "stopped",
          config: { net0: "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:78:00,ip=10.0.11.170/24,tag=11", rootfs: "local-lvm:vm-7800-disk-0,size=8G" },
        },
        {
          vmid: 5000,
          name: "blockscout",
          node: "ml110",
          type: "qemu",
          config: { net0: "virtio=BC:24:11:00:50:00,bridge=vmbr0", ipconfig0: "ip=10.0.11.140/24" },
        },
      ],
    },
  });
});
afterAll(() => pve.close());

const client = () => createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret, timeoutMs: 2_000 });

describe("Proxmox connector against the lab", () => {
  it("lists nodes and guests", async () => {
    expect((await client().listNodes()).map((n) => n.node)).toEqual(["r630-01", "ml110"]);
    expect((await client().listGuests()).map((g) => `${g.type}/${g.vmid}@${g.node}`)).toContain("lxc/7800@r630-01");
  });

  it("collects every VM on a node with MAC, VLAN, config IPs and (apart) agent IPs; a guest without an agent is not an error", async () => {
    expect(await collectNodeVmFacts(client(), "r630-01")).toEqual([
      { vmid: 2101, name: "besu-rpc-1", nics: [{ mac: "bc:24:11:00:21:01", vlanId: 13, configIps: ["10.0.48.211"], agentIps: [] }] },
      { vmid: 2102, name: "dhcp-vm", nics: [{ mac: "bc:24:11:00:21:02", vlanId: undefined, configIps: [], agentIps: ["10.0.11.77"] }] },
      { vmid: 2103, name: "no-agent", nics: [{ mac: "bc:24:11:00:21:03", vlanId: undefined, configIps: [], agentIps: [] }] },
      { vmid: 7800, name: "portal", nics: [{ mac: "bc:24:11:00:78:00", vlanId: 11, configIps: ["10.0.11.170"], agentIps: [] }] },
    ]);
  });

  it("names a refused token and an unreachable or failing API", async () => {
    await expect(createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: "wrong" }).listNodes()).rejects.toMatchObject({ kind: "auth" });
    pve.setDown(true);
    try {
      await expect(client().listNodes()).rejects.toMatchObject({ kind: "http", message: expect.stringContaining("503") });
    } finally {
      pve.setDown(false);
    }
    const closed = createProxmoxClient({ baseUrl: "http://127.0.0.1:9", tokenId: "x", tokenSecret: "y", timeoutMs: 1_000 });
    const e = await closed.listNodes().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ProxmoxError);
    expect((e as ProxmoxError).kind).toBe("unreachable");
  });

  it("sends a write as a form, follows its task to the end and reads the task log", async () => {
    const c = client();
    const upid = await c.sendWrite({ method: "POST", path: "/nodes/r630-01/lxc/7800/status/start", params: {} });
    expect(upid).toMatch(/^UPID:r630-01:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:vzstart:7800:sankofa@pve!inventory:$/);
    let status = await c.getTaskStatus("r630-01", upid!);
    while (status.status === "running") status = await c.getTaskStatus("r630-01", upid!);
    expect(status).toEqual({ status: "stopped", exitstatus: "OK" });
    expect((await c.getTaskLog("r630-01", upid!, 0)).map((l) => l.t)).toEqual(["start CT 7800", "TASK OK"]);
    expect(await c.getGuestStatus({ node: "r630-01", type: "lxc", vmid: 7800 })).toEqual({ status: "running" });
    expect(await c.getGuestStatus({ node: "r630-01", type: "lxc", vmid: 7999 })).toBeNull();
  });

  it("reads a node's CPU from its status, and a storage's guest volumes with owner and size", async () => {
    const c = client();
    expect((await c.getNodeStatus("r630-01")).cpuinfo).toMatchObject({ sockets: 1, cores: 32, cpus: 32 });
    expect(await c.listStorageContent("r630-01", "local-lvm")).toEqual([
      expect.objectContaining({ volid: "local-lvm:vm-7800-disk-0", content: "rootdir", vmid: 7800, size: 8 * 2 ** 30 }),
    ]);
    expect((await c.listStorageContent("r630-01", "local")).map((v) => v.content)).toEqual(["vztmpl"]);
    await expect(c.listStorageContent("r630-01", "nope")).rejects.toMatchObject({ kind: "http" });
  });

  it("a change sent with an old config digest is refused in Proxmox's words; next VMID and templates are read", async () => {
    const c = client();
    const e = await c
      .sendWrite({ method: "PUT", path: "/nodes/r630-01/lxc/7800/resize", params: { disk: "rootfs", size: "+1G", digest: "0".repeat(40) } })
      .catch((x: unknown) => x);
    expect((e as ProxmoxError).message).toContain("detected modified configuration - file changed by other user? Try again.");
    expect(await c.getNextVmid()).toBe(100);
    expect(await c.getNextVmid(7800)).toBeNull();
    expect(await c.listTemplates("r630-01", "local")).toEqual(["local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"]);
  });
});
