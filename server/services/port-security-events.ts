import { and, desc, eq, sql } from "drizzle-orm";
import { portSecurityEvents, type PortSecurityEventRow } from "@/drizzle/schema";
import { eventDedupeKey, type PortSecurityEvent } from "@/lib/port-security/event";
import type { Db, DbOrTx } from "@/server/db/client";
import { enqueueJob } from "@/server/jobs/enqueue";

/** Tenantos retries a delivery it saw fail; the same event again within this window is one event. */
export const EVENT_DEDUPE_WINDOW_S = 300;

/** One lock per server, shared by the door and the event job: see acceptPortSecurityEvent. */
export const lockServerEvents = (tx: DbOrTx, serverId: number) => tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`ps:server:${serverId}`}))`);

/**
 * Stores a valid event, once: a repeat of the latest event for the same server and IP inside
 * the window returns the first one's id. A new action on the same IP is a new event.
 *
 * A job is queued in the same transaction only when the server has no other event waiting: a
 * waiting event already has its job, and that job handles every waiting event of the server.
 * Under the server's lock, the job's final check and this one cannot interleave, so an event is
 * never left without a job; a cron sweep re-queues servers whose job gave up.
 */
export async function acceptPortSecurityEvent(db: Db, event: PortSecurityEvent): Promise<{ id: number; isDuplicate: boolean }> {
  return db.transaction(async (tx) => {
    await lockServerEvents(tx, event.serverId);
    const ip = event.ip ?? null;
    const [row] = await tx.execute<{ latest_id: string | null; new_id: string | null; has_waiting: boolean }>(sql`
      with latest as (
        select id, action from port_security_events
        where server_id = ${event.serverId} and ${ip === null ? sql`ip is null` : sql`ip = ${ip}`}
          and received_at > now() - make_interval(secs => ${EVENT_DEDUPE_WINDOW_S})
        order by id desc limit 1
      ), ins as (
        insert into port_security_events (action, server_id, ip, dedupe_key)
        select ${event.action}, ${event.serverId}, ${ip}::text, ${eventDedupeKey(event)}
        where not exists (select 1 from latest where action = ${event.action})
        returning id
      )
      select (select id from latest) as latest_id, (select id from ins) as new_id,
        exists (select 1 from port_security_events where server_id = ${event.serverId} and status = 'received') as has_waiting`);
    if (!row!.new_id) return { id: Number(row!.latest_id), isDuplicate: true };
    // One key per server, so a burst about one server is one run; no named queue (servers are unbounded).
    if (!row!.has_waiting) await enqueuePortSecurityEvents(tx, event.serverId);
    return { id: Number(row!.new_id), isDuplicate: false };
  });
}

export function enqueuePortSecurityEvents(tx: DbOrTx, serverId: number): Promise<number> {
  return enqueueJob(tx, "port-security-event", { serverId }, { jobKey: `ps:server:${serverId}` });
}

/** The safety net: servers with events waiting over a minute get their job again (job keys join). */
export async function requeueWaitingEvents(db: Db): Promise<number> {
  const waiting = await db.execute<{ server_id: number }>(sql`
    select distinct server_id from port_security_events where status = 'received' and received_at < now() - interval '1 minute'`);
  for (const w of waiting) await db.transaction((tx) => enqueuePortSecurityEvents(tx, Number(w.server_id)));
  return waiting.length;
}

export function listPortSecurityEvents(db: DbOrTx, f: { serverId?: number; status?: PortSecurityEventRow["status"]; limit: number }): Promise<PortSecurityEventRow[]> {
  const where = and(f.serverId ? eq(portSecurityEvents.serverId, f.serverId) : undefined, f.status ? eq(portSecurityEvents.status, f.status) : undefined);
  return db.select().from(portSecurityEvents).where(where).orderBy(desc(portSecurityEvents.id)).limit(f.limit);
}
