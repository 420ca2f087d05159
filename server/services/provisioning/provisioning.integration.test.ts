import { eq, sql } from "drizzle-orm";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, ipamAddresses, pendingChanges, provisioningJobs } from "@/drizzle/schema";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { JOB_KINDS, type ProvisioningRequest } from "@/lib/provisioning/jobs";
import { createProxmoxClient, type ProxmoxClient } from "@/server/connectors/proxmox/client";
import { createTestDatabase } from "@/server/testing/database";
import { buildViewer, callerFor } from "@/server/testing/factories";
import { createPrefix, createVlan } from "../ipam/prefixes";
import { decideApproval } from "../platform/approvals";
import { updateSettings } from "../platform/settings";
import { planProvisioningJob, requestProvisioningJob, runProvisioningJob } from "./jobs";

const { db } = await createTestDatabase();
const alice = { id: "alice@test.sankofa" };
const bob = { id: "bob@test.sankofa" };
const GIB = 2 ** 30;
const TEMPLATE = "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst";

let pve: LabProxmox;
let proxmox: ProxmoxClient;
let prefixId: number;

beforeAll(async () => {
  pve = await startLabProxmox({
    taskMs: 80,
    world: {
      nodes: [
        {
          node: "pve1",
          maxcpu: 16,
          maxmem: 64 * GIB,
          maxdisk: 2 * 2 ** 40,
          storage: [
            { storage: "local", type: "dir", total: 100 * GIB, used: 0, content: "vztmpl,iso,backup", templates: [TEMPLATE] },
            { storage: "local-lvm", type: "lvmthin", total: 200 * GIB, used: 0, content: "images,rootdir" },
            { storage: "ceph", type: "rbd", total: 900 * GIB, used: 0, content: "images,rootdir", shared: true },
          ],
        },
        { node: "pve2", maxcpu: 16, maxmem: 64 * GIB, maxdisk: 2 ** 40, storage: [] },
      ],
      guests: [
        {
          vmid: 120,
          name: "web-1",
          node: "pve1",
          type: "lxc",
          status: "stopped",
          config: { rootfs: "local-lvm:vm-120-disk-0,size=8G", net0: "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:01:20,ip=dhcp,tag=20" },
        },
        {
          vmid: 121,
          name: "web-2",
          node: "pve1",
          type: "lxc",
          status: "running",
          config: { rootfs: "local-lvm:vm-121-disk-0,size=8G", net0: "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:01:21,ip=dhcp" },
        },
        {
          vmid: 130,
          name: "db-1",
          node: "pve1",
          type: "qemu",
          status: "running",
          config: { scsi0: "local-lvm:vm-130-disk-0,size=32G", net0: "virtio=BC:24:11:00:01:30,bridge=vmbr0,tag=20" },
        },
        {
          vmid: 131,
          name: "legacy-1",
          node: "pve1",
          type: "qemu",
          status: "running",
          isHungOnShutdown: true,
          config: { scsi0: "local-lvm:vm-131-disk-0,size=16G", net0: "virtio=BC:24:11:00:01:31,bridge=vmbr0" },
        },
        {
          vmid: 140,
          name: "api-1",
          node: "pve1",
          type: "lxc",
          status: "stopped",
          config: { rootfs: "ceph:vm-140-disk-0,size=8G", net0: "name=eth0,bridge=vmbr0" },
        },
      ],
    },
  });
  proxmox = createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret, timeoutMs: 5_000 });
  await updateSettings(db, alice, {
    provisioningNodes: "pve1",
    provisioningVmidRanges: "100-199",
    provisioningStorages: "local-lvm",
    provisioningBridges: "vmbr0",
    provisioningVlans: "untagged, 20",
    provisioningPrefixes: "10.0.20.0/24",
    provisioningJobTypes: "power_start, power_shutdown, power_stop, power_reboot, resize_disk, assign_ip, create_ct",
    provisioningTicketPattern: "^[A-Z]+-\\d+$",
  });
  await createVlan(db, alice, { vid: 20, name: "VLAN.20", status: "current" });
  prefixId = (await createPrefix(db, alice, { prefix: "10.0.20.0/24", vid: 20, gateway: "10.0.20.1" })).id;
});
afterAll(() => pve?.close());

const deps = () => ({ proxmox, pollMs: 10 });
const start = (vmid: number): ProvisioningRequest => ({ type: "power", node: "pve1", guestType: "lxc", vmid, action: "start" });
const writesTo = (path: string) => pve.writes.writes.filter((w) => w.path === path).length;

describe("provisioning on Proxmox", () => {
  it("a dry run shows the exact calls and checks and sends nothing to Proxmox", async () => {
    const before = pve.writes.writes.length;
    const plan = await planProvisioningJob(db, deps(), alice, { type: "resize_disk", node: "pve1", guestType: "qemu", vmid: 130, disk: "scsi0", growGiB: 4 });
    expect(plan.calls).toEqual([
      expect.objectContaining({ method: "PUT", path: "/nodes/pve1/qemu/130/resize", params: expect.objectContaining({ size: "+4G" }) }),
    ]);
    expect(plan.checks.every((c) => c.isPassed)).toBe(true);
    const assign = await planProvisioningJob(db, deps(), alice, { type: "assign_ip", node: "pve1", guestType: "lxc", vmid: 120, prefixId });
    expect(assign.address).toMatchObject({ ip: "10.0.20.2", isClaimed: false });
    expect(pve.writes.writes.length).toBe(before);
    // The address shown was not kept.
    expect(await db.select().from(ipamAddresses)).toEqual([]);
  });

  it("a real run without a ticket, or with one in another format, is refused", async () => {
    await expect(requestProvisioningJob(db, deps(), alice, { request: start(120) })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "ticketId" });
    await expect(requestProvisioningJob(db, deps(), alice, { request: start(120), ticketId: "see slack" })).rejects.toMatchObject({
      field: "ticketId",
      message: expect.stringContaining("^[A-Z]+-\\d+$"),
    });
    expect(await db.select().from(provisioningJobs)).toEqual([]);
  });

  it("allowlist refusals name the rule that refused, at planning, and nothing is sent", async () => {
    const before = pve.writes.writes.length;
    await expect(requestProvisioningJob(db, deps(), alice, { request: { ...start(120), node: "pve2" }, ticketId: "OPS-1" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("refused by rule allowlist.nodes: node pve2 is not in the node allowlist"),
    });
    await expect(
      requestProvisioningJob(db, deps(), alice, {
        request: { type: "resize_disk", node: "pve1", guestType: "lxc", vmid: 140, disk: "rootfs", growGiB: 1 },
        ticketId: "OPS-1",
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining("allowlist.storages: storage ceph is not in the storage allowlist") });
    await updateSettings(db, alice, { provisioningJobTypes: "power_start" });
    try {
      await expect(requestProvisioningJob(db, deps(), alice, { request: { ...start(121), action: "stop" }, ticketId: "OPS-1" })).rejects.toMatchObject({
        message: expect.stringContaining("allowlist.jobTypes"),
      });
    } finally {
      await updateSettings(db, alice, { provisioningJobTypes: "power_start, power_shutdown, power_stop, power_reboot, resize_disk, assign_ip, create_ct" });
    }
    await updateSettings(db, alice, { provisioningVmidRanges: "" });
    try {
      await expect(requestProvisioningJob(db, deps(), alice, { request: start(120), ticketId: "OPS-1" })).rejects.toMatchObject({
        message: expect.stringContaining("allowlist.vmids: VMID 120 is outside the VMID allowlist (empty: nothing may be touched)"),
      });
    } finally {
      await updateSettings(db, alice, { provisioningVmidRanges: "100-199" });
    }
    expect(pve.writes.writes.length).toBe(before);
    const refused = await db.select().from(auditLog).where(eq(auditLog.action, "provisioning.refused"));
    expect(refused.length).toBe(4);
  });

  it("a stop waits for a second admin: the requester cannot approve, another admin can, and the run follows the UPID to the end", async () => {
    const job = await requestProvisioningJob(db, deps(), alice, { request: { ...start(121), action: "stop" }, ticketId: "OPS-2" });
    expect(job.status).toBe("awaiting_approval");
    // Nothing runs before the approval.
    expect((await runProvisioningJob(db, deps(), job.id)).status).toBe("awaiting_approval");
    expect(writesTo("/nodes/pve1/lxc/121/status/stop")).toBe(0);
    await expect(decideApproval(db, alice, job.approvalId!, "approve")).rejects.toMatchObject({ code: "FORBIDDEN" });
    await decideApproval(db, bob, job.approvalId!, "approve");
    const done = await runProvisioningJob(db, deps(), job.id);
    expect(done).toMatchObject({ status: "succeeded", approvedBy: bob.id, ticketId: "OPS-2" });
    expect(done.tasks).toEqual([
      expect.objectContaining({
        upid: expect.stringMatching(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:vzstop:121:/),
        status: "ok",
        log: ["stop CT 121", "TASK OK"],
      }),
    ]);
    expect(pve.world.guests.find((g) => g.vmid === 121)!.status).toBe("stopped");
    const trail = await db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(sql`${auditLog.after}->>'correlationId' = ${done.correlationId}`);
    expect(trail.map((a) => a.action)).toEqual(
      expect.arrayContaining(["provisioning.requested", "provisioning.approved", "provisioning.started", "provisioning.succeeded"]),
    );
  });

  it("a guest changed after the approval is planned again and asks for approval again, and nothing is sent", async () => {
    const job = await requestProvisioningJob(db, deps(), alice, {
      request: { type: "resize_disk", node: "pve1", guestType: "qemu", vmid: 130, disk: "scsi0", growGiB: 2 },
      ticketId: "OPS-3",
    });
    await decideApproval(db, bob, job.approvalId!, "approve");
    // Someone changes the VM on Proxmox between the approval and the run.
    pve.world.guests.find((g) => g.vmid === 130)!.config.memory = 8192;
    const again = await runProvisioningJob(db, deps(), job.id);
    expect(again).toMatchObject({ status: "awaiting_approval", approvedBy: null });
    expect(again.approvalId).not.toBe(job.approvalId);
    expect(again.configDigest).not.toBe(job.configDigest);
    const [asked] = await db.select().from(pendingChanges).where(eq(pendingChanges.id, again.approvalId!));
    expect(asked).toMatchObject({ status: "pending", summary: expect.stringContaining("the guest changed since the approval") });
    expect(writesTo("/nodes/pve1/qemu/130/resize")).toBe(0);
    // The old approval cannot be used again; the new one runs it.
    await expect(decideApproval(db, bob, job.approvalId!, "approve")).rejects.toMatchObject({ code: "CONFLICT" });
    await decideApproval(db, bob, again.approvalId!, "approve");
    expect(await runProvisioningJob(db, deps(), job.id)).toMatchObject({ status: "succeeded" });
    expect(pve.world.guests.find((g) => g.vmid === 130)!.config.scsi0).toBe("local-lvm:vm-130-disk-0,size=34G");
  });

  it("a run interrupted after the call was sent, before its task ended, resumes following the UPID without sending again", async () => {
    const job = await requestProvisioningJob(db, deps(), alice, { request: start(120), ticketId: "OPS-4" });
    expect(job.status).toBe("queued");
    pve.holdTasks();
    const crash = new AbortController();
    const first = runProvisioningJob(db, { ...deps(), signal: crash.signal }, job.id);
    // Wait until the call is sent and its UPID recorded, then kill the run.
    for (;;) {
      const [row] = await db.select().from(provisioningJobs).where(eq(provisioningJobs.id, job.id));
      // Its log so far is kept while the task runs: the console shows progress.
      if ((row!.tasks[0]?.log.length ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    crash.abort(new Error("worker killed"));
    await expect(first).rejects.toThrow("worker killed");
    const [mid] = await db.select().from(provisioningJobs).where(eq(provisioningJobs.id, job.id));
    expect(mid).toMatchObject({ status: "running", callsSent: 1, tasks: [expect.objectContaining({ status: "running", log: ["start CT 120"] })] });
    pve.releaseTasks();
    const done = await runProvisioningJob(db, deps(), job.id);
    expect(done).toMatchObject({ status: "succeeded", tasks: [expect.objectContaining({ upid: mid!.tasks[0]!.upid, status: "ok" })] });
    expect(writesTo("/nodes/pve1/lxc/120/status/start")).toBe(1);
  });

  it("interrupted between sending and recording the answer, the run looks at the guest first and does not send again", async () => {
    const job = await requestProvisioningJob(db, deps(), alice, { request: { ...start(120), action: "reboot" }, ticketId: "OPS-5" });
    // A job whose previous attempt died with its call in flight, on a guest that shows the effect: a start of a running guest.
    const [row] = await db
      .update(provisioningJobs)
      .set({
        status: "running",
        callInFlight: 0,
        plan: {
          ...job.plan,
          calls: job.plan.calls.map((c) => ({
            ...c,
            path: "/nodes/pve1/lxc/120/status/start",
            effect: { kind: "status" as const, status: "running" as const },
          })),
        },
      })
      .where(eq(provisioningJobs.id, job.id))
      .returning();
    const before = writesTo("/nodes/pve1/lxc/120/status/start");
    expect((await runProvisioningJob(db, deps(), row!.id)).status).toBe("succeeded");
    expect(writesTo("/nodes/pve1/lxc/120/status/start")).toBe(before);
  });

  it("a failed Proxmox task records Proxmox's words", async () => {
    const job = await requestProvisioningJob(db, deps(), alice, { request: { ...start(120), action: "reboot" }, ticketId: "OPS-6" });
    // A reboot takes the guest down: a second admin agrees first.
    expect(job.status).toBe("awaiting_approval");
    await decideApproval(db, bob, job.approvalId!, "approve");
    pve.failNextTask("CT 120 is locked (backup)");
    const done = await runProvisioningJob(db, deps(), job.id);
    expect(done).toMatchObject({ status: "failed", error: expect.stringContaining("CT 120 is locked (backup)") });
    expect(done.tasks[0]!.log).toContain("TASK ERROR: CT 120 is locked (backup)");
  });

  it("create CT end to end: next VMID, template, storage, an IPAM address; a running container whose IP is in IPAM with the guest as owner", async () => {
    const request: ProvisioningRequest = {
      type: "create_ct",
      node: "pve1",
      template: TEMPLATE,
      storage: "local-lvm",
      hostname: "app-7",
      cores: 2,
      memoryMiB: 1024,
      diskGiB: 8,
      bridge: "vmbr0",
      prefixId,
      isStartAfterCreate: true,
    };
    const lvm = pve.world.nodes[0]!.storage!.find((s) => s.storage === "local-lvm")!;
    const usedBefore = lvm.used;
    const plan = await planProvisioningJob(db, deps(), alice, request);
    expect(plan.refusal).toBeNull();
    const job = await requestProvisioningJob(db, deps(), alice, { request, ticketId: "OPS-7" });
    expect(job.status).toBe("queued");
    const done = await runProvisioningJob(db, deps(), job.id);
    expect(done).toMatchObject({ status: "succeeded", vmid: 100, address: "10.0.20.2" });
    expect(done.tasks[0]!.upid).toMatch(/:vzcreate:100:/);
    const ct = pve.world.guests.find((g) => g.vmid === 100)!;
    expect(ct).toMatchObject({ status: "running", node: "pve1", type: "lxc" });
    expect(ct.config.net0).toBe("name=eth0,hwaddr=BC:24:11:00:00:64,bridge=vmbr0,ip=10.0.20.2/24,gw=10.0.20.1,tag=20");
    const [addr] = await db
      .select()
      .from(ipamAddresses)
      .where(sql`${ipamAddresses.address} = '10.0.20.2'::inet`);
    expect(addr).toMatchObject({ status: "active", vmid: 100, hostname: "app-7", mac: "bc:24:11:00:00:64", vlanVid: 20 });
    // Storage use grew by the container's disk.
    expect(lvm.used - usedBefore).toBe(8 * GIB);
  });

  it("a rejected job never runs; viewers see the queue but cannot plan or request", async () => {
    const job = await requestProvisioningJob(db, deps(), alice, {
      request: { type: "power", node: "pve1", guestType: "qemu", vmid: 130, action: "shutdown", timeoutSeconds: 5 },
      ticketId: "OPS-8",
    });
    await decideApproval(db, bob, job.approvalId!, "reject");
    expect(await runProvisioningJob(db, deps(), job.id)).toMatchObject({ status: "rejected" });
    expect(writesTo("/nodes/pve1/qemu/130/status/shutdown")).toBe(0);

    const viewer = callerFor(db, buildViewer());
    await expect(viewer.provisioning.plan({ request: start(120) })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.provisioning.request({ request: start(120), ticketId: "OPS-9" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await viewer.provisioning.list()).map((j) => j.id)).toContain(job.id);
  });

  it("assigning an IP to a VM claims it in IPAM, sets ipconfig0, regenerates cloud-init and records the VM as its owner", async () => {
    const job = await requestProvisioningJob(db, deps(), alice, {
      request: { type: "assign_ip", node: "pve1", guestType: "qemu", vmid: 130, prefixId },
      ticketId: "OPS-10",
    });
    // The VM is running: a new address cuts its connections, so a second admin agrees first.
    expect(job).toMatchObject({ status: "awaiting_approval" });
    expect((await runProvisioningJob(db, deps(), job.id)).status).toBe("awaiting_approval");
    expect(writesTo("/nodes/pve1/qemu/130/config")).toBe(0);
    await decideApproval(db, bob, job.approvalId!, "approve");
    const done = await runProvisioningJob(db, deps(), job.id);
    expect(done).toMatchObject({ status: "succeeded", address: "10.0.20.3" });
    expect(pve.world.guests.find((g) => g.vmid === 130)!.config.ipconfig0).toBe("ip=10.0.20.3/24,gw=10.0.20.1");
    expect(writesTo("/nodes/pve1/qemu/130/cloudinit")).toBe(1);
    const [addr] = await db
      .select()
      .from(ipamAddresses)
      .where(sql`${ipamAddresses.address} = '10.0.20.3'::inet`);
    expect(addr).toMatchObject({ status: "active", vmid: 130, hostname: "db-1", mac: "bc:24:11:00:01:30", vlanVid: 20 });
  });

  it("a shutdown the guest ignores stops it after the timeout when asked, and fails in Proxmox's words when not", async () => {
    const ask = async (isForceStopAfterTimeout: boolean, ticketId: string) => {
      const job = await requestProvisioningJob(db, deps(), alice, {
        request: { type: "power", node: "pve1", guestType: "qemu", vmid: 131, action: "shutdown", timeoutSeconds: 10, isForceStopAfterTimeout },
        ticketId,
      });
      await decideApproval(db, bob, job.approvalId!, "approve");
      return runProvisioningJob(db, deps(), job.id);
    };
    const soft = await ask(false, "OPS-11");
    expect(soft).toMatchObject({ status: "failed", error: expect.stringContaining("VM quit/powerdown failed") });
    expect(pve.writes.writes.at(-1)).toMatchObject({ path: "/nodes/pve1/qemu/131/status/shutdown", params: { timeout: "10", forceStop: "0" } });
    const hard = await ask(true, "OPS-12");
    expect(hard.status).toBe("succeeded");
    expect(hard.tasks[0]!.log).toContain("VM quit/powerdown failed - terminating now with SIGTERM");
    expect(pve.world.guests.find((g) => g.vmid === 131)!.status).toBe("stopped");
  });

  it("a reboot and an address for a running container each wait for a second admin, then run end to end", async () => {
    const reboot = await requestProvisioningJob(db, deps(), alice, {
      request: { type: "power", node: "pve1", guestType: "qemu", vmid: 130, action: "reboot" },
      ticketId: "OPS-16",
    });
    expect(reboot).toMatchObject({ status: "awaiting_approval" });
    expect(writesTo("/nodes/pve1/qemu/130/status/reboot")).toBe(0);
    await decideApproval(db, bob, reboot.approvalId!, "approve");
    const rebooted = await runProvisioningJob(db, deps(), reboot.id);
    expect(rebooted).toMatchObject({ status: "succeeded", tasks: [expect.objectContaining({ upid: expect.stringMatching(/:qmreboot:130:/) })] });

    expect(pve.world.guests.find((g) => g.vmid === 120)!.status).toBe("running");
    const assign = await requestProvisioningJob(db, deps(), alice, {
      request: { type: "assign_ip", node: "pve1", guestType: "lxc", vmid: 120, prefixId },
      ticketId: "OPS-17",
    });
    expect(assign).toMatchObject({ status: "awaiting_approval" });
    expect(writesTo("/nodes/pve1/lxc/120/config")).toBe(0);
    await decideApproval(db, bob, assign.approvalId!, "approve");
    const done = await runProvisioningJob(db, deps(), assign.id);
    expect(done).toMatchObject({ status: "succeeded" });
    expect(pve.world.guests.find((g) => g.vmid === 120)!.config.net0).toBe(
      `name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:01:20,ip=${done.address}/24,tag=20,gw=10.0.20.1`,
    );
    const [addr] = await db
      .select()
      .from(ipamAddresses)
      .where(sql`${ipamAddresses.address} = ${done.address}::inet`);
    expect(addr).toMatchObject({ status: "active", vmid: 120, mac: "bc:24:11:00:01:20", vlanVid: 20 });
  });

  it("a config that does not read back as planned fails the job, and IPAM does not call the address active", async () => {
    const job = await requestProvisioningJob(db, deps(), alice, {
      request: { type: "assign_ip", node: "pve1", guestType: "lxc", vmid: 140, prefixId },
      ticketId: "OPS-13",
    });
    expect(job.status).toBe("queued");
    // Proxmox takes the write; someone else puts the container back on DHCP before we read it.
    pve.afterNextConfigWrite((g) => {
      g.config.net0 = "name=eth0,bridge=vmbr0,ip=dhcp";
    });
    const done = await runProvisioningJob(db, deps(), job.id);
    expect(done).toMatchObject({ status: "failed", error: expect.stringContaining("config read back differs from the plan: net0 reads") });
    expect(done.error).toContain(`without the planned ip=${done.address}/24`);
    const [addr] = await db
      .select()
      .from(ipamAddresses)
      .where(sql`${ipamAddresses.address} = ${done.address}::inet`);
    expect(addr).toMatchObject({ status: "released" });
  });

  it("a VMID the cluster gives outside the allowed ranges is replaced by the next free one inside them", async () => {
    await updateSettings(db, alice, { provisioningVmidRanges: "150-159" });
    try {
      // The lab's /cluster/nextid answers the lowest free VMID from 100, as Proxmox does without a next-id range.
      expect(await proxmox.getNextVmid()).toBeLessThan(150);
      const request: ProvisioningRequest = {
        type: "create_ct",
        node: "pve1",
        template: TEMPLATE,
        storage: "local-lvm",
        hostname: "app-8",
        cores: 1,
        memoryMiB: 512,
        diskGiB: 2,
        bridge: "vmbr0",
        prefixId,
        isStartAfterCreate: false,
      };
      expect((await planProvisioningJob(db, deps(), alice, request)).vmid).toBe(150);
      const job = await requestProvisioningJob(db, deps(), alice, { request, ticketId: "OPS-14" });
      expect(await runProvisioningJob(db, deps(), job.id)).toMatchObject({ status: "succeeded", vmid: 150 });
      expect(pve.world.guests.find((g) => g.vmid === 150)).toMatchObject({ name: "app-8", type: "lxc" });
    } finally {
      await updateSettings(db, alice, { provisioningVmidRanges: "100-199" });
    }
  });

  it("a bridge outside the bridge allowlist is refused at planning, and nothing is sent", async () => {
    const before = pve.writes.writes.length;
    await expect(
      requestProvisioningJob(db, deps(), alice, {
        request: {
          type: "create_ct",
          node: "pve1",
          template: TEMPLATE,
          storage: "local-lvm",
          hostname: "app-9",
          cores: 1,
          memoryMiB: 512,
          diskGiB: 2,
          bridge: "vmbr7",
          prefixId,
          isStartAfterCreate: false,
        },
        ticketId: "OPS-15",
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining("refused by rule allowlist.bridges: bridge vmbr7 is not in the bridge allowlist (vmbr0)") });
    expect(pve.writes.writes.length).toBe(before);
  });

  it("the lab refuses a chunked body as pve-http-server does, and every job above sent its body with a Content-Length", async () => {
    // Every job type ran above against this lab, end to end: start, stop, shutdown, reboot, resize, assign (LXC and VM), create.
    const kinds = new Set(
      (await db.select({ kind: provisioningJobs.kind, status: provisioningJobs.status }).from(provisioningJobs))
        .filter((j) => j.status === "succeeded")
        .map((j) => j.kind),
    );
    expect([...kinds].sort()).toEqual([...JOB_KINDS].sort());
    expect(pve.writes.refusedChunked).toBe(0);
    const answer = await new Promise<{ status: number; reason: string }>((resolve, reject) => {
      const req = http.request(`${pve.url}/api2/json/nodes/pve1/lxc/120/config`, {
        method: "PUT",
        headers: { authorization: `PVEAPIToken=${pve.tokenId}=${pve.tokenSecret}`, "content-type": "application/x-www-form-urlencoded" },
      });
      req.on("response", (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? "" });
      });
      req.on("error", reject);
      // Written without a length: node sends it chunked.
      req.write("memory=1024");
      req.end();
    });
    expect(answer).toEqual({ status: 501, reason: "chunked transfer encoding not supported" });
    expect(pve.writes.refusedChunked).toBe(1);
  });
});
