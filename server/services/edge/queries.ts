import { and, desc, eq } from "drizzle-orm";
import { edgeSnapshots } from "@/drizzle/schema";
import type { EdgeSnapshotDataBySource, EdgeSource } from "@/lib/edge/data";
import { computeFreshness, type Freshness } from "@/lib/edge/freshness";
import type { DbOrTx } from "@/server/db/client";

export interface EdgeSourceState<S extends EdgeSource> {
  /** The last good collection's data (possibly stale), or null when there never was one. */
  data: EdgeSnapshotDataBySource[S] | null;
  freshness: Freshness;
}

export type EdgeState = { [S in EdgeSource]: EdgeSourceState<S> };

async function getSourceState<S extends EdgeSource>(db: DbOrTx, source: S, now: Date): Promise<EdgeSourceState<S>> {
  const [good] = await db
    .select()
    .from(edgeSnapshots)
    .where(and(eq(edgeSnapshots.source, source), eq(edgeSnapshots.status, "ok")))
    .orderBy(desc(edgeSnapshots.id))
    .limit(1);
  const [failed] = await db
    .select({ startedAt: edgeSnapshots.startedAt, error: edgeSnapshots.error })
    .from(edgeSnapshots)
    .where(and(eq(edgeSnapshots.source, source), eq(edgeSnapshots.status, "failed")))
    .orderBy(desc(edgeSnapshots.id))
    .limit(1);
  return {
    data: (good?.data as EdgeSnapshotDataBySource[S] | undefined) ?? null,
    freshness: computeFreshness({
      source,
      collectedAt: good?.collectedAt ?? null,
      lastFailure: failed ? { at: failed.startedAt, error: failed.error } : null,
      now,
    }),
  };
}

/** Each edge source's last good data with its freshness: a failure after it marks it stale, never current. */
export async function getEdgeState(db: DbOrTx, now: Date = new Date()): Promise<EdgeState> {
  const [unifi, npm, network] = await Promise.all([
    getSourceState(db, "unifi", now),
    getSourceState(db, "npm", now),
    getSourceState(db, "proxmox-network", now),
  ]);
  return { unifi, npm, "proxmox-network": network };
}
