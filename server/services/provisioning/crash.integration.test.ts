import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisioningJobs } from "@/drizzle/schema";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { createTestDatabase } from "@/server/testing/database";
import { startWorkerProcess, stopProcess } from "@/server/testing/worker-process";
import { updateSettings } from "../platform/settings";
import { savePanelConnection } from "../port-security/connections";
import { requestProvisioningJob } from "./jobs";

// The fault the issue names, with real processes: `npm run worker` is killed with SIGKILL while a
// Proxmox task it started is still running; another worker picks the job up and follows the same
// UPID to its end. Proxmox (the lab) counts the calls it answered: the start is sent once.
const { db, url } = await createTestDatabase();
const secretsKey = randomBytes(32);
const admin = { id: "admin@test.sankofa" };
const GIB = 2 ** 30;
let pve: LabProxmox;

beforeAll(async () => {
  pve = await startLabProxmox({
    taskMs: 50,
    world: {
      nodes: [{ node: "pve1", maxcpu: 8, maxmem: 32 * GIB, maxdisk: 2 ** 40, storage: [] }],
      guests: [{ vmid: 150, name: "crash-ct", node: "pve1", type: "lxc", status: "stopped", config: { net0: "name=eth0,bridge=vmbr0" } }],
    },
  });
  // The workers find Proxmox where an admin saved it (Settings → Connections).
  await savePanelConnection(db, secretsKey, admin, { kind: "proxmox", baseUrl: pve.url, tokenId: pve.tokenId, secret: pve.tokenSecret });
  await updateSettings(db, admin, { provisioningNodes: "pve1", provisioningVmidRanges: "100-199", provisioningJobTypes: "power_start" });
});
afterAll(() => pve?.close());

const jobRow = async (id: number) => (await db.select().from(provisioningJobs).where(eq(provisioningJobs.id, id)))[0]!;
const startsSent = () => pve.writes.writes.filter((w) => w.path === "/nodes/pve1/lxc/150/status/start").length;

describe("a provisioning worker killed mid-task", () => {
  it("resumes in another worker process by following the UPID, without sending the call again", async () => {
    const proxmox = createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret });
    pve.holdTasks();
    const job = await requestProvisioningJob(db, { proxmox }, admin, {
      request: { type: "power", node: "pve1", guestType: "lxc", vmid: 150, action: "start" },
      ticketId: "OPS-77",
    });
    const doomed = await startWorkerProcess(url, secretsKey, { WORKER_DEAD_AFTER_SECONDS: "4" });
    let second: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
    try {
      // Sent, answered with a UPID, recorded: the task is running on Proxmox.
      await expect.poll(async () => (await jobRow(job.id)).tasks[0]?.upid ?? null, { timeout: 20_000, interval: 100 }).toMatch(/^UPID:pve1:/);
      await stopProcess(doomed, "SIGKILL");
      expect(startsSent()).toBe(1);
      const mid = await jobRow(job.id);
      expect(mid.status).toBe("running");

      pve.releaseTasks();
      second = await startWorkerProcess(url, secretsKey, { WORKER_DEAD_AFTER_SECONDS: "4" });
      await expect.poll(async () => (await jobRow(job.id)).status, { timeout: 45_000, interval: 250 }).toBe("succeeded");
      const done = await jobRow(job.id);
      expect(done.tasks.map((t) => t.upid)).toEqual([mid.tasks[0]!.upid]);
      expect(startsSent()).toBe(1);
      expect(pve.world.guests.find((g) => g.vmid === 150)!.status).toBe("running");
    } finally {
      await stopProcess(doomed, "SIGKILL");
      if (second) await stopProcess(second);
    }
  }, 90_000);
});
