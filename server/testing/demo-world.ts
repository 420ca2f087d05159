import { eq } from "drizzle-orm";
import { switches } from "@/drizzle/schema";
import { buildDemoProxmoxWorld, buildDemoTenantosWorld, DEMO_EX3400_VLAN_NAMES, DEMO_NODE_SERVERS, DEMO_RANGE_PORT, DEMO_SWITCHES } from "@/lab/demo-world";
import { describeLabSwitchLogin, startLabSwitch, type LabSwitch } from "@/lab/junos/ssh-switch";
import { startLabProxmox, type LabProxmox } from "@/lab/proxmox";
import { startLabTenantos, type LabTenantos } from "@/lab/tenantos";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createOutsideSystems, type OutsideSystems } from "@/server/connectors/outside-systems";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import type { Db } from "@/server/db/client";
import { confirmNodeServer } from "@/server/services/port-security/proxmox-nodes";
import { backupSwitch } from "@/server/services/switches/backup-run";
import { createSwitch } from "@/server/services/switches/switches";
import { silentLogger, startWorkerRunner, type WorkerRunner } from "@/workers/runner";

export interface DemoWorld {
  ex4200: LabSwitch;
  ex3400: LabSwitch;
  tenantos: LabTenantos;
  pve: LabProxmox;
  panel: OutsideSystems;
  runner: WorkerRunner;
  ids: { ex4200: number; ex3400: number };
  close(): Promise<void>;
}

/**
 * The demo world for a test file: its two switches (the EX3400 naming VLANs its own way, the
 * EX4200 with the range-mode port), Tenantos and Proxmox, the switches registered, approved and
 * backed up (as an approval does), the nodes mapped, and a worker running against `url`.
 */
export async function startDemoWorld(opts: { db: Db; url: string; secretsKey: Buffer; prefix: string }): Promise<DemoWorld> {
  const { db, secretsKey: key } = opts;
  const admin = { id: "admin@test.sankofa" };
  const ex4200 = await startLabSwitch({
    name: `${opts.prefix}-4200-${process.pid}`,
    dialect: "non-els",
    timeScale: 60,
    initialConfig: `set interfaces ${DEMO_RANGE_PORT.interface} unit 0 family ethernet-switching vlan members ${DEMO_RANGE_PORT.vlan}`,
  });
  const ex3400 = await startLabSwitch({
    name: `${opts.prefix}-3400-${process.pid}`,
    dialect: "els",
    timeScale: 60,
    vlanName: (id) => DEMO_EX3400_VLAN_NAMES[id] ?? `VLAN.${id}`,
  });
  const tenantos = await startLabTenantos({ world: buildDemoTenantosWorld({ ex4200: ex4200.host, ex3400: ex3400.host }) });
  const pve = await startLabProxmox({ world: buildDemoProxmoxWorld() });
  const ids = { ex4200: 0, ex3400: 0 };
  for (const [name, sw, ref, dialect] of [
    ["ex4200", ex4200, DEMO_SWITCHES.ex4200, "non-els"],
    ["ex3400", ex3400, DEMO_SWITCHES.ex3400, "els"],
  ] as const) {
    const { hostKeyFingerprint, ...login } = describeLabSwitchLogin(sw);
    const row = await createSwitch(db, key, admin, { ...login, tenantosDeviceId: ref.tenantosDeviceId });
    await db.update(switches).set({ hostKeyFingerprint, hostKeyState: "approved", dialect }).where(eq(switches.id, row.id));
    await backupSwitch({ db, secretsKey: key, openSession: openJunosSession }, row.id, "on-demand");
    ids[name] = row.id;
  }
  for (const m of DEMO_NODE_SERVERS) await confirmNodeServer(db, admin, m);
  const panel = createOutsideSystems({
    tenantos: { baseUrl: tenantos.url, apiKey: tenantos.apiKey },
    proxmox: { baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret },
    untaggedVlanId: 11,
  })!;
  const runner = await startWorkerRunner({
    connectionString: opts.url,
    deps: {
      db,
      secretsKey: key,
      openJunosSession,
      confirmMinutes: 1,
      panel,
      // Provisioning jobs write to the same lab Proxmox, followed at a test's pace.
      resolveProvisioningProxmox: async () => createProxmoxClient({ baseUrl: pve.url, tokenId: pve.tokenId, tokenSecret: pve.tokenSecret }),
      provisioningPollMs: 20,
    },
    concurrency: 2,
    logger: silentLogger,
  });
  return {
    ex4200,
    ex3400,
    tenantos,
    pve,
    panel,
    runner,
    ids,
    close: async () => {
      await runner.stop();
      await Promise.all([ex4200.close(), ex3400.close(), tenantos.close(), pve.close()]);
    },
  };
}
