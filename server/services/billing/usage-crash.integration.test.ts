import { randomBytes } from "node:crypto";
import { and, eq, gte, lt } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, billingBandwidthSamples, billingUsageRuns, billingUsageSamples } from "@/drizzle/schema";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { labDedicatedServer, startLabTenantos, type LabTenantos } from "@/lab/tenantos";
import { createTestDatabase } from "@/server/testing/database";
import { startWorkerProcess, stopProcess } from "@/server/testing/worker-process";
import { savePanelConnection } from "../port-security/connections";
import { requestUsageRecollect } from "./usage";

// A usage collection whose worker is killed (SIGKILL, a real `npm run worker`) half-way: Proxmox
// and IPAM are stored, Tenantos's answer is still on its way. Another worker process takes the job
// up and collects the day again; nothing is counted twice and nothing is left half-written.
const { db, url } = await createTestDatabase();
const secretsKey = randomBytes(32);
const finance = { id: "finance@test.sankofa" };
const GIB = 2 ** 30;
let pve: LabProxmox;
let panel: LabTenantos;

beforeAll(async () => {
  pve = await startLabProxmox({
    world: {
      nodes: [{ node: "pve1", maxcpu: 8, maxmem: 32 * GIB, maxdisk: 2 ** 40 }],
      guests: [
        {
          vmid: 120,
          name: "web-120",
          node: "pve1",
          type: "qemu",
          status: "running",
          maxcpu: 2,
          maxmem: 4 * GIB,
          config: { scsi0: "local:vm-120-disk-0,size=10G" },
        },
      ],
    },
  });
  panel = await startLabTenantos({
    world: { servers: [labDedicatedServer({ traffic: { inBps: 3_000_000, outBps: 1_000_000 } })], subnets: [], networkDevices: [] },
  });
  // The worker processes find both where an admin saved them (Settings → Connections).
  await savePanelConnection(db, secretsKey, finance, { kind: "proxmox", baseUrl: pve.url, tokenId: pve.tokenId, secret: pve.tokenSecret });
  await savePanelConnection(db, secretsKey, finance, { kind: "tenantos", baseUrl: panel.url, secret: panel.apiKey });
});
afterAll(async () => {
  await panel?.close();
  await pve?.close();
});

const runsOf = async (day: string) =>
  Object.fromEntries(
    (await db.select().from(billingUsageRuns).where(eq(billingUsageRuns.day, day))).map((r) => [r.source, { status: r.status, runs: r.runs }]),
  );

describe("a usage collection whose worker is killed mid-way", () => {
  it("is finished by another worker: each source stored once per run, the day's samples exactly once", async () => {
    // Two days back: a past day whose RRD history and traffic the labs hold, whatever the hour.
    const day = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    panel.holdGraphs();
    await requestUsageRecollect(db, finance, day);
    const doomed = await startWorkerProcess(url, secretsKey, { WORKER_DEAD_AFTER_SECONDS: "4" });
    let second: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
    try {
      // Proxmox and IPAM are stored (sources go one after the other); the Tenantos read waits.
      await expect.poll(() => panel.heldGraphs, { timeout: 30_000, interval: 100 }).toBe(1);
      expect(await runsOf(day)).toEqual({ proxmox: { status: "ok", runs: 1 }, ipam: { status: "ok", runs: 1 } });
      await stopProcess(doomed, "SIGKILL");
      panel.releaseGraphs();

      second = await startWorkerProcess(url, secretsKey, { WORKER_DEAD_AFTER_SECONDS: "4" });
      await expect.poll(async () => (await runsOf(day)).tenantos ?? null, { timeout: 45_000, interval: 250 }).toEqual({ status: "ok", runs: 1 });
      // The job ran again from the start: the first two sources were replaced (a second run), not added to.
      expect(await runsOf(day)).toEqual({ proxmox: { status: "ok", runs: 2 }, ipam: { status: "ok", runs: 2 }, tenantos: { status: "ok", runs: 1 } });
      const figures = await db.select().from(billingUsageSamples).where(eq(billingUsageSamples.period, day));
      expect(figures.filter((f) => f.object === "vmid:120").map((f) => [f.meter, f.quantityMilli])).toEqual([
        ["cpu_hours", 48_000],
        ["ram_gb_hours", 96_000],
        ["storage_gb_days", 10_000],
      ]);
      expect(figures.find((f) => f.object === "server:7")).toMatchObject({ meter: "bandwidth_p95_mbps", quantityMilli: 3_000 });
      const from = new Date(`${day}T00:00:00Z`);
      const stored = await db
        .select()
        .from(billingBandwidthSamples)
        .where(and(gte(billingBandwidthSamples.at, from), lt(billingBandwidthSamples.at, new Date(from.getTime() + 86_400_000))));
      expect(stored).toHaveLength(288);
      // Every stored run is audited: the killed worker's two, the second worker's three.
      const audits = await db.select().from(auditLog).where(eq(auditLog.entityType, "usage_day"));
      expect(audits.filter((a) => a.entityId === `${day}:proxmox`).map((a) => a.action)).toEqual(["billing.usage.collect", "billing.usage.recollect"]);
      expect(audits.filter((a) => a.entityId === `${day}:tenantos`).map((a) => a.action)).toEqual(["billing.usage.collect"]);
    } finally {
      await stopProcess(doomed, "SIGKILL");
      if (second) await stopProcess(second);
    }
  }, 90_000);
});
