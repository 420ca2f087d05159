import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/server/db/client";
import type { Env } from "@/server/env";
import { isDemoWanted, seedDemo } from "@/server/services/platform/demo-seed";

/**
 * `npm run dev` with nothing configured: start the lab's demo world in this process and point
 * the console at it, so every page shows real flows. The lab is test tooling, loaded only here.
 */
export async function startDemoIfWanted(db: Db, env: Env, secretsKey: Buffer, isDev: boolean): Promise<{ stop(): Promise<void>; notice: string } | undefined> {
  if (!(await isDemoWanted(db, env, isDev))) return undefined;
  const { startDemoLab, buildDemoEdgeRefs, DEMO_DEVICE_IDS, DEMO_EVENT_SERVERS } = await import("@/lab/demo");
  const { DEMO_NODE_SERVERS } = await import("@/lab/demo-world");
  const { describeLabSwitchLogin } = await import("@/lab/junos/ssh-switch");
  const base = env.DEMO_LAB_PORT;
  const lab = await startDemoLab({
    dataDir: path.resolve(env.DATA_DIR, "demo-lab"),
    ports: { tenantos: base, proxmox: base + 1, ex4200: base + 2, ex3400: base + 3, unifi: base + 4, npm: base + 5 },
  });
  try {
    const { isFirstStart } = await seedDemo(db, secretsKey, {
      tenantos: { url: lab.tenantos!.url, apiKey: lab.tenantos!.apiKey },
      proxmox: { url: lab.proxmox!.url, tokenId: lab.proxmox!.tokenId, tokenSecret: lab.proxmox!.tokenSecret },
      switches: [...lab.switches.values()].map((sw) => ({
        ...describeLabSwitchLogin(sw),
        dialect: sw.state.dialect,
        tenantosDeviceId: DEMO_DEVICE_IDS[sw.name]!,
      })),
      // dedi-202 and r630-04 are left for the admin to preview and push from /it/proxmox.
      events: lab
        .tenantos!.world.servers.filter((s) => DEMO_EVENT_SERVERS.includes(s.id))
        .map((s) => ({ serverId: s.id, ip: s.ips.find((i) => i.isPrimary)!.ip })),
      vmacs: [{ ip: "10.13.0.22", serverId: 201 }],
      nodeServers: DEMO_NODE_SERVERS,
      finance: true,
      edge: buildDemoEdgeRefs(lab),
      declared: {
        confText: await readFile("lab/inventory/ip-addresses.conf", "utf8"),
        docText: await readFile("lab/inventory/ALL_VMIDS_ENDPOINTS.md", "utf8"),
      },
    });
    const notice = `demo lab on 127.0.0.1:${base}-${base + 5} (Tenantos, Proxmox, 2 EX switches, UniFi, NPM)${isFirstStart ? ", seeded" : ""}; save a real Tenantos connection in Settings or set DEMO_LAB=off to leave it`;
    return { stop: lab.close, notice };
  } catch (e) {
    await lab.close();
    throw e;
  }
}
