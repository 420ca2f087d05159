import { and, eq, lt, sql } from "drizzle-orm";
import { edgeSnapshots, type EdgeSnapshotRow } from "@/drizzle/schema";
import { mapWithConcurrency } from "@/lib/async";
import type { EdgeSnapshotDataBySource, EdgeSource, NodeNetworkSnapshotData, NpmSnapshotData, UnifiSnapshotData } from "@/lib/edge/data";
import type { NpmClient } from "@/server/connectors/npm/client";
import { ProxmoxError, type ProxmoxClient } from "@/server/connectors/proxmox/client";
import type { UnifiClient } from "@/server/connectors/unifi/client";
import type { Db, DbOrTx } from "@/server/db/client";

export type EdgeTrigger = EdgeSnapshotRow["trigger"];

// Far longer than a collection takes; a row still `running` past it belongs to a process that died.
const ABANDONED_AFTER_MS = 3600_000;

/** Everything the port map needs from the UDM, in one consistent read. */
export async function readUnifi(client: UnifiClient): Promise<UnifiSnapshotData> {
  // One after another, not in parallel: a console that logs in lazily should log in once.
  const devices = await client.listDevices();
  const clients = await client.listClients();
  const networks = await client.listNetworks();
  const portForwards = await client.listPortForwards();
  return { devices, clients, networks, portForwards };
}

export async function readNpm(client: NpmClient): Promise<NpmSnapshotData> {
  const proxyHosts = await client.listProxyHosts();
  const streams = await client.listStreams();
  return { proxyHosts, streams };
}

/** Every online node's NICs, bonds and bridges; an offline node is a warning, losing Proxmox is not. */
export async function readNodeNetworks(client: ProxmoxClient): Promise<NodeNetworkSnapshotData> {
  const warnings: string[] = [];
  const nodes = (await client.listNodes()).filter((n) => {
    if (n.status === "online") return true;
    warnings.push(`node ${n.node}: ${n.status}, network not read`);
    return false;
  });
  const read = await mapWithConcurrency(nodes, 4, async (n) => {
    try {
      const ifaces = await client.listNodeNetwork(n.node);
      return {
        node: n.node,
        ifaces: ifaces.map((i) => ({
          iface: i.iface,
          type: i.type,
          isActive: i.active === 1,
          slaves: (i.slaves ?? "").split(/\s+/).filter(Boolean),
          bondMode: i.bond_mode ?? null,
          bridgePorts: (i.bridge_ports ?? "").split(/\s+/).filter(Boolean),
        })),
      };
    } catch (e) {
      if (!(e instanceof ProxmoxError && e.kind === "http")) throw e;
      warnings.push(`node ${n.node}: network not read (${e.message})`);
      return null;
    }
  });
  return { nodes: read.filter((n) => n !== null).sort((a, b) => a.node.localeCompare(b.node)), warnings };
}

/**
 * One collection from one edge system, recorded as a snapshot: `ok` with data and `collected_at`,
 * or `failed` with the error and no data. The last good snapshot is never touched, so the
 * console keeps showing it, as stale. The outside calls happen outside any transaction.
 */
export async function collectEdgeSnapshot<S extends EdgeSource>(
  db: Db,
  opts: { source: S; trigger: EdgeTrigger; read: (() => Promise<EdgeSnapshotDataBySource[S]>) | undefined; notConfigured: string },
): Promise<EdgeSnapshotRow> {
  await db
    .update(edgeSnapshots)
    .set({ status: "failed", error: "abandoned: the collecting process stopped before it finished" })
    .where(
      and(eq(edgeSnapshots.source, opts.source), eq(edgeSnapshots.status, "running"), lt(edgeSnapshots.startedAt, new Date(Date.now() - ABANDONED_AFTER_MS))),
    );
  const [started] = await db.insert(edgeSnapshots).values({ source: opts.source, trigger: opts.trigger }).returning();
  let update: Partial<EdgeSnapshotRow>;
  if (!opts.read) {
    update = { status: "failed", error: opts.notConfigured };
  } else {
    try {
      update = { status: "ok", data: await opts.read(), collectedAt: new Date() };
    } catch (e) {
      update = { status: "failed", error: e instanceof Error ? e.message : String(e) };
    }
  }
  const [row] = await db.update(edgeSnapshots).set(update).where(eq(edgeSnapshots.id, started!.id)).returning();
  await pruneEdgeSnapshots(db, opts.source);
  return row!;
}

/** Collections run every 15 minutes: keep a week of them, and always the 5 newest good ones per source. */
export async function pruneEdgeSnapshots(db: DbOrTx, source: EdgeSource, opts: { days?: number; keepGood?: number } = {}): Promise<number> {
  const rows = await db.execute<{ id: number }>(sql`
    delete from edge_snapshots where source = ${source} and started_at < now() - make_interval(days => ${opts.days ?? 7})
      and id not in (select id from edge_snapshots where source = ${source} and status = 'ok' order by id desc limit ${opts.keepGood ?? 5})
    returning id`);
  return rows.length;
}
