import { eq, inArray } from "drizzle-orm";
import { ipamAddresses, ipamVlans, panelConnections, portMapEntries, portSecurityEvents, switches } from "@/drizzle/schema";
import type { PortMapEntryInput } from "@/lib/edge/port-map";
import { isAppError } from "@/lib/errors";
import { seal } from "@/server/crypto/secret-box";
import type { Db, DbOrTx } from "@/server/db/client";
import type { Env } from "@/server/env";
import { acceptPortSecurityEvent } from "../port-security/events";
import { confirmNodeServer } from "../port-security/proxmox-nodes";
import { enqueueBackup } from "../switches/backup-jobs";
import { createSwitch, type NewSwitch } from "../switches/switches";
import { importDeclared, planDeclared } from "../inventory/declared-import";
import { requestInventoryRefresh } from "../inventory/jobs";
import { createAddress } from "../ipam/addresses";
import { createPrefix, createVlan } from "../ipam/prefixes";
import { createVlanMove } from "../ipam/vlan-moves";
import { createVmac } from "../port-security/vmacs";
import { requestEdgeRefresh } from "../edge/jobs";
import { createPortMapEntry } from "../edge/port-map";
import { enqueueJob } from "@/server/jobs/enqueue";
import { findLastCronRun } from "@/lib/settings/cron";
import { seedDemoFinance } from "./demo-finance";
import { getSettings } from "./settings";

export const DEMO_ACTOR = { id: "system:demo" };

/** Where the demo lab answers: plain values, so this service never imports the lab itself. */
export interface DemoLabRefs {
  tenantos: { url: string; apiKey: string };
  proxmox: { url: string; tokenId: string; tokenSecret: string };
  /** A lab switch's login (name, host, port, username, password, host key) and what the demo knows of it. */
  switches: Array<
    Pick<NewSwitch, "name" | "host" | "port" | "username"> & {
      password: string;
      hostKeyFingerprint: string;
      dialect: "els" | "non-els";
      tenantosDeviceId: number;
    }
  >;
  /** The first start sets the servers' ports up through the same events Tenantos would send. */
  events: Array<{ serverId: number; ip: string }>;
  /** Additional IPs that get a VMAC on first start, so the demo shows both outcomes. */
  vmacs: Array<{ ip: string; serverId: number }>;
  /** Seed the finance side (organisations, SKUs, licences, usage read from the lab, invoices) on first start. */
  finance?: boolean;
  /** The lab's declared inventory (ip-addresses.conf, VMID doc), imported on first start. */
  declared: { confText: string; docText: string };
  /** Which Tenantos server is which Proxmox node: confirmed on first start, as an admin would. */
  nodeServers: ReadonlyArray<{ node: string; serverId: number }>;
  /** The edge: the lab's UniFi console (API key, pinned self-signed certificate) and NPM, the cabling as typed, and IPAM names to judge. */
  edge?: {
    unifi: { url: string; apiKey: string; fingerprint256: string };
    npm: { url: string; identity: string; secret: string };
    portMap: PortMapEntryInput[];
    addresses: Array<{ address: string; hostname: string | null }>;
  };
}

/**
 * The demo runs when nothing real is configured: no Tenantos in the environment and none saved
 * in the console other than the demo's own. A real connection, once saved, ends the demo.
 */
export async function isDemoWanted(db: DbOrTx, env: Pick<Env, "DEMO_LAB" | "TENANTOS_URL">, isDev: boolean): Promise<boolean> {
  if (env.DEMO_LAB !== "auto") return env.DEMO_LAB === "on";
  if (!isDev || env.TENANTOS_URL) return false;
  const [row] = await db.select({ updatedBy: panelConnections.updatedBy }).from(panelConnections).where(eq(panelConnections.kind, "tenantos"));
  return !row || row.updatedBy === DEMO_ACTOR.id;
}

/** Points the console at the demo lab. Idempotent: a restart refreshes keys and ports, nothing more. */
export async function seedDemo(db: Db, secretsKey: Buffer, refs: DemoLabRefs): Promise<{ isFirstStart: boolean }> {
  const connection = (
    kind: "tenantos" | "proxmox" | "unifi" | "npm",
    baseUrl: string,
    secret: string,
    tokenId: string | null,
    tlsFingerprint: string | null = null,
  ) => ({
    kind,
    baseUrl,
    tokenId,
    secretSealed: seal(secret, secretsKey),
    tlsFingerprint,
    updatedAt: new Date(),
    updatedBy: DEMO_ACTOR.id,
  });
  for (const row of [
    connection("tenantos", refs.tenantos.url, refs.tenantos.apiKey, null),
    connection("proxmox", refs.proxmox.url, refs.proxmox.tokenSecret, refs.proxmox.tokenId),
    // The lab console makes a new self-signed certificate at each start: the pin follows it.
    ...(refs.edge
      ? [
          connection("unifi", refs.edge.unifi.url, refs.edge.unifi.apiKey, null, refs.edge.unifi.fingerprint256),
          connection("npm", refs.edge.npm.url, refs.edge.npm.secret, refs.edge.npm.identity),
        ]
      : []),
  ]) {
    await db.insert(panelConnections).values(row).onConflictDoUpdate({ target: panelConnections.kind, set: row });
  }
  for (const sw of refs.switches) {
    let [row] = await db.select().from(switches).where(eq(switches.name, sw.name));
    if (!row) {
      const { name, host, port, username, password, tenantosDeviceId } = sw;
      const created = await createSwitch(db, secretsKey, DEMO_ACTOR, { name, host, port, username, password, tenantosDeviceId });
      [row] = await db.select().from(switches).where(eq(switches.id, created.id));
    }
    // The lab keeps its host key in the data dir; approving it here is the demo's only shortcut.
    await db
      .update(switches)
      .set({
        host: sw.host,
        port: sw.port,
        hostKeyFingerprint: sw.hostKeyFingerprint,
        hostKeyState: "approved",
        dialect: sw.dialect,
        tenantosDeviceId: sw.tenantosDeviceId,
      })
      .where(eq(switches.id, row!.id));
    // As an approval does: the first backup tells the switch's VLAN names.
    if (!row!.vlanNames) await enqueueBackup(db, row!.id, "on-demand");
  }
  // The inventory side once, all or nothing (nested service transactions are savepoints).
  const [vlan] = await db.select({ id: ipamVlans.id }).from(ipamVlans).limit(1);
  if (!vlan) await db.transaction((tx) => seedDemoInventory(tx, refs.declared));
  if (refs.edge) await seedDemoEdge(db, refs.edge);
  // Finance once: organisations, prices, licences, usage from the lab and invoices (billing services only).
  if (refs.finance) await seedDemoFinance(db, DEMO_ACTOR, { tenantos: refs.tenantos, proxmox: refs.proxmox });
  const seen = await db
    .select({ id: portSecurityEvents.id })
    .from(portSecurityEvents)
    .where(
      inArray(
        portSecurityEvents.serverId,
        refs.events.map((e) => e.serverId),
      ),
    )
    .limit(1);
  if (seen.length > 0) return { isFirstStart: false };
  for (const m of refs.nodeServers) await confirmNodeServer(db, DEMO_ACTOR, m);
  for (const v of refs.vmacs) await createVmac(db, DEMO_ACTOR, v);
  for (const e of refs.events) await acceptPortSecurityEvent(db, { action: "ip_assigned", ...e });
  await catchUpLastNightsBackup(db);
  return { isFirstStart: true };
}

/**
 * A new demo has no past, so "did last night's backup run?" would have no answer: on first start
 * the backup scheduler is queued for the schedule's last firing, as graphile-worker's cron queues a
 * missed run it backfills. The worker runs it for real: one scheduled backup per approved switch,
 * each recorded on the Jobs page with the scheduler as what started it and the backup as evidence.
 */
async function catchUpLastNightsBackup(db: Db): Promise<void> {
  const { backupSchedule } = await getSettings(db);
  const ts = findLastCronRun(backupSchedule, new Date()).toISOString();
  await enqueueJob(db, "backup-scheduler", { _cron: { ts, backfilled: true } }, { maxAttempts: 1 });
}

/** The typed cabling and IPAM names once; the edge collections at every start, so the path is current. */
async function seedDemoEdge(db: Db, edge: NonNullable<DemoLabRefs["edge"]>): Promise<void> {
  const [mapped] = await db.select({ id: portMapEntries.id }).from(portMapEntries).limit(1);
  if (!mapped) {
    for (const entry of edge.portMap) await createPortMapEntry(db, DEMO_ACTOR, entry);
    // The declared import may already hold an address: it is kept as it is.
    const known = new Set((await db.select({ address: ipamAddresses.address }).from(ipamAddresses)).map((r) => r.address));
    for (const a of edge.addresses) {
      if (known.has(a.address)) continue;
      // Outside every prefix (an admin removed the demo's): the path shows "not in IPAM", the demo still starts.
      await createAddress(db, DEMO_ACTOR, { ...a, status: "active" }).catch((e: unknown) => {
        if (!isAppError(e)) throw e;
      });
    }
  }
  await requestEdgeRefresh(db, DEMO_ACTOR);
}

/**
 * The inventory side of the demo: today's flat VLAN 11 and the planned segments, their prefixes,
 * the lab's declared files, a few planned moves (one blocked by a live address), and a first
 * collection from the lab cluster, so IPAM, VLANs, drift and hosts show real data.
 */
async function seedDemoInventory(db: DbOrTx, declared: { confText: string; docText: string }): Promise<void> {
  const vlans: Array<[number, string, "current" | "planned"]> = [
    [11, "flat", "current"],
    [13, "dedicated", "current"],
    [110, "prod-web", "planned"],
    [111, "prod-app", "planned"],
    [112, "prod-rpc", "planned"],
    [120, "mgmt", "planned"],
    [160, "storage", "planned"],
    [200, "vpn", "planned"],
    [201, "customer-a", "planned"],
    [202, "customer-b", "planned"],
    [203, "customer-c", "planned"],
  ];
  for (const [vid, name, status] of vlans) await createVlan(db, DEMO_ACTOR, { vid, name, status });
  await createPrefix(db, DEMO_ACTOR, { prefix: "192.168.11.0/24", vid: 11, gateway: "192.168.11.1", description: "flat LAN today" });
  await createPrefix(db, DEMO_ACTOR, { prefix: "10.13.0.0/24", vid: 13, gateway: "10.13.0.1", description: "dedicated servers" });
  // Tenantos's range-mode subnet (each port its own VLAN from 20–29): the addresses it assigns show in IPAM.
  await createPrefix(db, DEMO_ACTOR, { prefix: "10.20.0.0/24", gateway: "10.20.0.1", description: "range-mode servers (Tenantos VLAN 20–29 per port)" });
  await createPrefix(db, DEMO_ACTOR, { prefix: "10.110.0.0/24", vid: 110, gateway: "10.110.0.1" });
  await createPrefix(db, DEMO_ACTOR, { prefix: "10.200.0.0/24", vid: 200, gateway: "10.200.0.254" });
  const files = { conf: { content: declared.confText, name: "ip-addresses.conf" }, doc: { content: declared.docText, name: "ALL_VMIDS_ENDPOINTS.md" } };
  // IPAM takes the declared files only as a confirmed plan: the demo confirms its own.
  const { ipam } = await planDeclared(db, files);
  await importDeclared(db, DEMO_ACTOR, { ...files, ipamDigest: ipam?.digest });
  // The migration plan: the ML110 leaves the Proxmox cluster to become the WAN aggregator (wave 1;
  // blocked while it still hosts guests), an RPC node and the portal move to prod-web, and Loki's
  // target is an address Grafana already answers on (missing from the conf: drift), so its move
  // shows blocked, with the reason, once the first collection is in.
  await createPrefix(db, DEMO_ACTOR, { prefix: "10.120.0.0/24", vid: 120, gateway: "10.120.0.1", description: "management" });
  await createVlanMove(db, DEMO_ACTOR, { hostname: "ml110", targetAddress: "10.120.0.10", targetVid: 120, fromRole: "proxmox-host", toRole: "wan-aggregator" });
  await createVlanMove(db, DEMO_ACTOR, { hostname: "besu-rpc-1", vmid: 2101, targetAddress: "10.110.0.11", targetVid: 110 });
  await createVlanMove(db, DEMO_ACTOR, { hostname: "sankofa-portal", vmid: 7800, targetAddress: "10.110.0.12", targetVid: 110 });
  await createVlanMove(db, DEMO_ACTOR, { hostname: "loki", vmid: 7812, targetAddress: "192.168.11.180", targetVid: 11 });
  await requestInventoryRefresh(db, DEMO_ACTOR, "manual");
}
