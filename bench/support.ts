// Shared set-up for the benches: a fresh embedded Postgres database, lab switches, registered and
// approved switches with desired bindings. Everything on loopback; everything stops by itself.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { fork } from "node:child_process";
import type { LabProcessState, LabProcessSwitch } from "./lab-process";
import { switchPortBindings, switches } from "@/drizzle/schema";
import { parseBinding } from "@/lib/junos/bindings";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createDatabase, type Database } from "@/server/db/client";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { backupSwitch } from "@/server/services/switches/backup-run";
import { createSwitch } from "@/server/services/switches/switches";
import { silentLogger, startWorkerRunner, type WorkerRunner } from "@/workers/runner";
import { startBenchDatabase } from "./database";

export interface BenchWorld {
  database: Database;
  /** The bench database's URL, for a second pool (the door's). */
  url: string;
  /** The switches' counters and configurations, read from the lab process. */
  labState(): Promise<LabProcessState[]>;
  switchIds: number[];
  secretsKey: Buffer;
  startWorkers(concurrency: number, panel?: OutsideSystems): Promise<WorkerRunner>;
  close(): Promise<void>;
}

export const bindingFor = (sw: number, port: number, round = 0) =>
  parseBinding({
    ip: `10.${sw}.${round}.${port + 1}`,
    mac: `02:00:${[sw, round, port, 1].map((n) => n.toString(16).padStart(2, "0")).join(":")}`,
    vlan: "VLAN.13",
  });

/** Tenantos's device id for bench switch `i`: panel benches wire their servers to it. */
export const benchDeviceId = (i: number) => 1000 + i;

export async function startBenchWorld(opts: { switches: number; ports: number; commitLatencyMs: number; isSeeded?: boolean }): Promise<BenchWorld> {
  const pg = await startBenchDatabase("bench", 54379);
  const { url } = pg;
  const database = createDatabase(url, { max: 20 });
  const secretsKey = randomBytes(32);
  const lab = fork("bench/lab-process.ts", [String(opts.switches), String(opts.commitLatencyMs)], { execArgv: ["--import", "tsx"] });
  const labs = await new Promise<LabProcessSwitch[]>((resolve, reject) => {
    lab.once("error", reject);
    lab.once("message", (m: { type: string; switches: LabProcessSwitch[] }) => resolve(m.switches));
  });
  const labState = () =>
    new Promise<LabProcessState[]>((resolve) => {
      lab.once("message", (m: { state: LabProcessState[] }) => resolve(m.state));
      lab.send({ type: "state" });
    });
  const switchIds: number[] = [];
  for (const [i, sw] of labs.entries()) {
    const row = await createSwitch(
      database.db,
      secretsKey,
      { id: "bench" },
      { name: sw.name, host: sw.host, port: sw.port, username: sw.username, password: sw.password, tenantosDeviceId: benchDeviceId(i) },
    );
    await database.db
      .update(switches)
      .set({ hostKeyFingerprint: sw.hostKeyFingerprint, hostKeyState: "approved", dialect: "non-els" })
      .where(eq(switches.id, row.id));
    switchIds.push(row.id);
  }
  // As an approval does: a first backup tells each switch's VLAN names (panel bindings use them).
  for (let i = 0; i < switchIds.length; i += 10) {
    await Promise.all(switchIds.slice(i, i + 10).map((id) => backupSwitch({ db: database.db, secretsKey, openSession: openJunosSession }, id, "on-demand")));
  }
  // The first-contact jobs createSwitch queued are no-ops now; clear them so runs measure pushes only.
  await database.sql`delete from graphile_worker._private_jobs`;
  if (opts.isSeeded !== false)
    await database.db
      .insert(switchPortBindings)
      .values(
        switchIds.flatMap((id, s) =>
          Array.from({ length: opts.ports }, (_, p) => ({ switchId: id, interface: `ge-0/0/${p}.0`, bindings: [bindingFor(s, p)], updatedBy: "bench" })),
        ),
      );
  const runners: WorkerRunner[] = [];
  return {
    database,
    url,
    labState,
    switchIds,
    secretsKey,
    startWorkers: async (concurrency, panel) => {
      const r = await startWorkerRunner({
        connectionString: url,
        deps: { db: database.db, secretsKey, openJunosSession, confirmMinutes: 5, panel },
        concurrency,
        logger: silentLogger,
      });
      runners.push(r);
      return r;
    },
    close: async () => {
      for (const r of runners) await r.stop();
      await database.close();
      lab.send({ type: "stop" });
      await new Promise((r) => lab.once("exit", r));
      await pg.stop();
    },
  };
}

export async function waitFor(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
