import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { portSecurityEvents, type PortSecurityEventRow } from "@/drizzle/schema";
import { eventDedupeKey, type PortSecurityEvent } from "@/lib/port-security/event";
import type { Db, DbOrTx } from "@/server/db/client";
import { enqueueJob } from "@/server/jobs/enqueue";

/** Tenantos retries a delivery it saw fail; the same event again within this window is one event. */
export const EVENT_DEDUPE_WINDOW_S = 300;

/**
 * Stores a valid event, once: a repeat of the latest event for the same server and IP inside
 * the window returns the first one's id. A new action on the same IP is a new event.
 */
export async function acceptPortSecurityEvent(db: Db, event: PortSecurityEvent): Promise<{ id: number; isDuplicate: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`ps:${event.serverId}|${event.ip ?? ""}`}))`);
    const [latest] = await tx
      .select({ id: portSecurityEvents.id, action: portSecurityEvents.action })
      .from(portSecurityEvents)
      .where(
        and(
          eq(portSecurityEvents.serverId, event.serverId),
          event.ip ? eq(portSecurityEvents.ip, event.ip) : isNull(portSecurityEvents.ip),
          gt(portSecurityEvents.receivedAt, sql`now() - make_interval(secs => ${EVENT_DEDUPE_WINDOW_S})`),
        ),
      )
      .orderBy(desc(portSecurityEvents.id))
      .limit(1);
    if (latest && latest.action === event.action) return { id: latest.id, isDuplicate: true };
    const [row] = await tx
      .insert(portSecurityEvents)
      .values({ action: event.action, serverId: event.serverId, ip: event.ip ?? null, dedupeKey: eventDedupeKey(event) })
      .returning({ id: portSecurityEvents.id });
    // In the same transaction: an event stored is an event that will be handled. One key per
    // server, so a burst about one server is one run; no named queue (servers are unbounded).
    await enqueueJob(tx, "port-security-event", { serverId: event.serverId }, { jobKey: `ps:server:${event.serverId}` });
    return { id: row!.id, isDuplicate: false };
  });
}

export function listPortSecurityEvents(db: DbOrTx, f: { serverId?: number; status?: PortSecurityEventRow["status"]; limit: number }): Promise<PortSecurityEventRow[]> {
  const where = and(f.serverId ? eq(portSecurityEvents.serverId, f.serverId) : undefined, f.status ? eq(portSecurityEvents.status, f.status) : undefined);
  return db.select().from(portSecurityEvents).where(where).orderBy(desc(portSecurityEvents.id)).limit(f.limit);
}
