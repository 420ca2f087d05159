import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { provisioningRequestSchema, type ProvisioningRequest } from "./jobs";
import { planProvisioning, type PlanFacts } from "./plan";
import type { ProvisioningPolicy } from "./policy";

const policy: ProvisioningPolicy = {
  nodes: ["pve1"],
  vmidRanges: [{ from: 100, to: 199 }],
  storages: ["local-lvm"],
  bridges: ["vmbr0"],
  vlans: [20],
  prefixes: ["10.0.20.0/24"],
  jobKinds: ["power_start", "power_shutdown", "power_stop", "power_reboot", "resize_disk", "assign_ip", "create_ct"],
  productionNodes: [],
  productionVmidRanges: [{ from: 150, to: 159 }],
  ticketPattern: "^[A-Z]+-\\d+$",
  isSecondApprovalRequired: true,
};

const facts = (over: Partial<PlanFacts> = {}): PlanFacts => ({
  policy,
  nodes: [{ node: "pve1", status: "online" }],
  guest: {
    node: "pve1",
    type: "lxc",
    vmid: 120,
    status: "stopped",
    config: { hostname: "web", rootfs: "local-lvm:vm-120-disk-0,size=8G", net0: "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:01:20,ip=dhcp", digest: "abc123" },
  },
  storages: [{ storage: "local-lvm", content: "images,rootdir", avail: 100 * 2 ** 30, isActive: true }],
  templates: ["local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst"],
  vmid: 121,
  address: { prefix: "10.0.20.0/24", ip: "10.0.20.5", prefixLength: 24, gateway: "10.0.20.1", vlanVid: 20, isClaimed: false },
  ...over,
});

const start: ProvisioningRequest = { type: "power", node: "pve1", guestType: "lxc", vmid: 120, action: "start" };

describe("planProvisioning", () => {
  it("a bridge, VLAN or prefix outside its allowlist refuses assign and create, naming the rule", () => {
    const assign: ProvisioningRequest = { type: "assign_ip", node: "pve1", guestType: "lxc", vmid: 120, prefixId: 1 };
    expect(planProvisioning(assign, facts()).refusal).toBeNull();
    const only = (over: Partial<ProvisioningPolicy>) => facts({ policy: { ...policy, ...over } });
    expect(planProvisioning(assign, only({ bridges: [] })).refusal).toMatchObject({ rule: "allowlist.bridges", detail: expect.stringContaining("vmbr0") });
    expect(planProvisioning(assign, only({ vlans: [30] })).refusal).toMatchObject({ rule: "allowlist.vlans", detail: expect.stringContaining("VLAN 20") });
    expect(planProvisioning(assign, only({ prefixes: [] })).refusal).toMatchObject({ rule: "allowlist.prefixes" });
    const create: ProvisioningRequest = {
      type: "create_ct",
      node: "pve1",
      template: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
      storage: "local-lvm",
      hostname: "app",
      cores: 1,
      memoryMiB: 512,
      diskGiB: 4,
      bridge: "vmbr9",
      prefixId: 1,
      isStartAfterCreate: false,
    };
    expect(planProvisioning(create, facts()).refusal).toMatchObject({ rule: "allowlist.bridges", detail: expect.stringContaining("vmbr9") });
    // A full prefix is still refused by the allowlist first when it is not allowed.
    expect(planProvisioning({ ...create, bridge: "vmbr0" }, only({ prefixes: [] })).refusal).toMatchObject({ rule: "allowlist.prefixes" });
  });

  it("an address for a running guest and a reboot wait for a second admin", () => {
    const running = facts({ guest: { ...facts().guest!, status: "running" } });
    const assign: ProvisioningRequest = { type: "assign_ip", node: "pve1", guestType: "lxc", vmid: 120, prefixId: 1 };
    expect(planProvisioning(assign, facts()).approvalReasons).toEqual([]);
    expect(planProvisioning(assign, running).approvalReasons).toEqual(["the guest is running: a new address cuts its connections"]);
    expect(planProvisioning({ ...start, action: "reboot" }, running).approvalReasons).toEqual(["a reboot takes the guest down for a while"]);
  });

  it("plans a start as the one documented call, every check passed, no approval needed", () => {
    const plan = planProvisioning(start, facts());
    expect(plan.calls).toEqual([
      { method: "POST", path: "/nodes/pve1/lxc/120/status/start", params: {}, isTask: true, effect: { kind: "status", status: "running" } },
    ]);
    expect(plan.refusal).toBeNull();
    expect(plan.approvalReasons).toEqual([]);
    expect(plan.configDigest).toBe("abc123");
  });

  it("a shutdown carries its timeout and forceStop, and waits for a second admin", () => {
    const running = facts({ guest: { ...facts().guest!, status: "running" } });
    const plan = planProvisioning({ ...start, action: "shutdown", timeoutSeconds: 30, isForceStopAfterTimeout: true }, running);
    expect(plan.calls[0]).toMatchObject({ path: "/nodes/pve1/lxc/120/status/shutdown", params: { timeout: 30, forceStop: 1 } });
    expect(plan.approvalReasons).toEqual(["shutdown takes the guest down"]);
  });

  it("refuses with the allowlist rule that refused: node, VMID, storage, job type", () => {
    expect(planProvisioning({ ...start, node: "pve9" }, facts()).refusal).toMatchObject({ rule: "allowlist.nodes" });
    expect(planProvisioning({ ...start, vmid: 300 }, facts({ guest: { ...facts().guest!, vmid: 300 } })).refusal).toMatchObject({ rule: "allowlist.vmids" });
    const onCeph = facts({ guest: { ...facts().guest!, config: { ...facts().guest!.config, rootfs: "ceph:vm-120-disk-0,size=8G" } } });
    expect(planProvisioning({ type: "resize_disk", node: "pve1", guestType: "lxc", vmid: 120, disk: "rootfs", growGiB: 2 }, onCeph).refusal).toMatchObject({
      rule: "allowlist.storages",
      detail: expect.stringContaining("ceph"),
    });
    expect(planProvisioning(start, facts({ policy: { ...policy, jobKinds: ["power_stop"] } })).refusal).toMatchObject({ rule: "allowlist.jobTypes" });
  });

  it("an empty allowlist allows nothing, whatever is asked", () => {
    const empty = { ...policy, nodes: [], vmidRanges: [], storages: [], jobKinds: [] };
    fc.assert(
      fc.property(fc.constantFrom("start", "shutdown", "stop", "reboot") as fc.Arbitrary<"start">, fc.integer({ min: 100, max: 999_999 }), (action, vmid) => {
        const plan = planProvisioning({ ...start, action, vmid }, facts({ policy: empty, guest: { ...facts().guest!, vmid } }));
        expect(plan.refusal?.rule).toMatch(/^allowlist\./);
      }),
      { seed: 14, numRuns: 50 },
    );
  });

  it("a resize grows by whole GiB, sends the digest, needs room on the storage and a second admin", () => {
    const req: ProvisioningRequest = { type: "resize_disk", node: "pve1", guestType: "lxc", vmid: 120, disk: "rootfs", growGiB: 10 };
    const plan = planProvisioning(req, facts());
    expect(plan.calls).toEqual([
      {
        method: "PUT",
        path: "/nodes/pve1/lxc/120/resize",
        params: { disk: "rootfs", size: "+10G", digest: "abc123" },
        isTask: true,
        effect: { kind: "disk-size", disk: "rootfs", atLeastGiB: 18 },
      },
    ]);
    expect(plan.approvalReasons).toEqual(["a disk resize cannot be undone"]);
    const full = facts({ storages: [{ storage: "local-lvm", content: "images,rootdir", avail: 5 * 2 ** 30, isActive: true }] });
    expect(planProvisioning(req, full).refusal).toMatchObject({ rule: "storage.capacity" });
    expect(() => provisioningRequestSchema.parse({ ...req, growGiB: -4 })).toThrow();
  });

  it("assigning an IP to a container rewrites net0's ip, gw and tag and keeps its MAC", () => {
    const plan = planProvisioning({ type: "assign_ip", node: "pve1", guestType: "lxc", vmid: 120, prefixId: 1 }, facts());
    expect(plan.calls[0]!.params).toEqual({ net0: "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:01:20,ip=10.0.20.5/24,gw=10.0.20.1,tag=20", digest: "abc123" });
    expect(plan.calls[0]!.isTask).toBe(false);
  });

  it("assigning an IP to a QEMU guest sets ipconfig0 and regenerates its cloud-init drive", () => {
    const vm = facts({
      guest: { node: "pve1", type: "qemu", vmid: 130, status: "running", config: { net0: "virtio=BC:24:11:00:01:30,bridge=vmbr0,tag=20", digest: "d" } },
    });
    const plan = planProvisioning({ type: "assign_ip", node: "pve1", guestType: "qemu", vmid: 130, prefixId: 1 }, vm);
    expect(plan.refusal).toBeNull();
    expect(plan.calls.map((c) => [c.method, c.path, c.params])).toEqual([
      ["PUT", "/nodes/pve1/qemu/130/config", { ipconfig0: "ip=10.0.20.5/24,gw=10.0.20.1", digest: "d" }],
      ["PUT", "/nodes/pve1/qemu/130/cloudinit", {}],
    ]);
  });

  it("a QEMU guest whose NIC is on another VLAN than the prefix is refused, naming both", () => {
    const vm = facts({
      guest: { node: "pve1", type: "qemu", vmid: 130, status: "running", config: { net0: "virtio=BC:24:11:00:01:30,bridge=vmbr0,tag=13", digest: "d" } },
    });
    const plan = planProvisioning({ type: "assign_ip", node: "pve1", guestType: "qemu", vmid: 130, prefixId: 1 }, vm);
    expect(plan.refusal).toMatchObject({ rule: "network.vlan", detail: "net0 is on VLAN 13, the prefix on VLAN 20" });
  });

  it("a create names the VMID, template, storage, rootfs, network and start in one POST", () => {
    const plan = planProvisioning(
      {
        type: "create_ct",
        node: "pve1",
        template: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
        storage: "local-lvm",
        hostname: "app-1",
        cores: 2,
        memoryMiB: 1024,
        diskGiB: 8,
        bridge: "vmbr0",
        prefixId: 1,
        isStartAfterCreate: true,
      },
      facts({ guest: null }),
    );
    expect(plan.refusal).toBeNull();
    expect(plan.calls).toEqual([
      {
        method: "POST",
        path: "/nodes/pve1/lxc",
        params: {
          vmid: 121,
          ostemplate: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
          hostname: "app-1",
          storage: "local-lvm",
          rootfs: "local-lvm:8",
          cores: 2,
          memory: 1024,
          unprivileged: 1,
          net0: "name=eth0,bridge=vmbr0,ip=10.0.20.5/24,gw=10.0.20.1,tag=20",
          start: 1,
        },
        isTask: true,
        effect: { kind: "exists" },
      },
    ]);
  });

  it("production VMIDs wait for a second admin even for a start; the setting off waits for no one", () => {
    const prod = facts({ guest: { ...facts().guest!, vmid: 155 } });
    expect(planProvisioning({ ...start, vmid: 155 }, prod).approvalReasons).toEqual(["VMID 155 is marked production"]);
    const off = facts({ policy: { ...policy, isSecondApprovalRequired: false }, guest: { ...facts().guest!, vmid: 155, status: "running" } });
    expect(planProvisioning({ ...start, vmid: 155, action: "stop" }, off).approvalReasons).toEqual([]);
  });

  it("starting a running guest is refused as nothing to do", () => {
    expect(planProvisioning(start, facts({ guest: { ...facts().guest!, status: "running" } })).refusal).toMatchObject({ rule: "power.state" });
  });
});
