import { and, desc, eq, sql } from "drizzle-orm";
import { portSecurityEvents, type PortSecurityEventRow } from "@/drizzle/schema";
import { eventDedupeKey, type PortSecurityEvent } from "@/lib/port-security/event";
import type { Db, DbOrTx } from "@/server/db/client";
import { isDatabaseUnavailable } from "@/server/db/availability";
import { taskPayloads } from "@/lib/jobs/payloads";
import { DEFAULT_MAX_ATTEMPTS, enqueueJob } from "@/server/jobs/enqueue";
import { jobKeys } from "@/lib/jobs/keys";
import { enqueueReconcile } from "../switches/switches";

/** Tenantos retries a delivery it saw fail; the same event again within this window is one event. */
export const EVENT_DEDUPE_WINDOW_S = 300;

/** One lock per server, shared by the door and the event job: see acceptPortSecurityEvent. */
export const lockServerEvents = (tx: DbOrTx, serverId: number) =>
  tx.execute(sql`select pg_advisory_xact_lock(hashtext(${jobKeys.portSecurityServer(serverId)}))`);

/**
 * Stores a valid event, once: a repeat of the latest event for the same server and IP inside
 * the window returns the first one's id. A new action on the same IP is a new event.
 *
 * A job is queued in the same transaction only when the server has no other event waiting: a
 * waiting event already has its job, and that job handles every waiting event of the server.
 * Under the server's lock, the job's final check and this one cannot interleave, so an event is
 * never left without a job; a cron sweep re-queues servers whose job gave up. The whole write is
 * one SQL function (migration 0011): one round trip per event, which is what the door's load needs.
 */
export async function acceptPortSecurityEvent(db: DbOrTx, event: PortSecurityEvent): Promise<{ id: number; isDuplicate: boolean }> {
  taskPayloads["port-security-event"].parse({ serverId: event.serverId });
  const [row] = await db.execute<{ event_id: string; is_duplicate: boolean }>(sql`
    select event_id, is_duplicate from sankofa_accept_port_security_event(
      ${event.action}, ${event.serverId}::int, ${event.ip ?? null}::text, ${eventDedupeKey(event)}, ${EVENT_DEDUPE_WINDOW_S}::int, ${DEFAULT_MAX_ATTEMPTS}::int)`);
  return { id: Number(row!.event_id), isDuplicate: row!.is_duplicate };
}

/**
 * Several events in one round trip (migration 0026): each is accepted exactly as one alone would be,
 * in one transaction, the servers' locks taken in one order. Answers in the input's order.
 */
export async function acceptPortSecurityEvents(db: DbOrTx, events: readonly PortSecurityEvent[]): Promise<Array<{ id: number; isDuplicate: boolean }>> {
  for (const e of events) taskPayloads["port-security-event"].parse({ serverId: e.serverId });
  const payload = events.map((e) => ({ action: e.action, serverId: e.serverId, ip: e.ip ?? null, dedupeKey: eventDedupeKey(e) }));
  const rows = await db.execute<{ n: number; event_id: string; is_duplicate: boolean }>(sql`
    select n, event_id, is_duplicate from sankofa_accept_port_security_events(
      ${JSON.stringify(payload)}::jsonb, ${EVENT_DEDUPE_WINDOW_S}::int, ${DEFAULT_MAX_ATTEMPTS}::int)`);
  const out = new Array<{ id: number; isDuplicate: boolean }>(events.length);
  for (const r of rows) out[r.n] = { id: Number(r.event_id), isDuplicate: r.is_duplicate };
  return out;
}

/**
 * The door's writes, gathered: events arriving while `inFlight` writes are under way go together in
 * the next round trip (at most `max` per trip). Under load that is one statement for several
 * events; a quiet door sends each event at once, adding no wait. One gatherer per pool.
 */
export function createEventGatherer(db: DbOrTx, opts: { inFlight?: number; max?: number } = {}) {
  const [inFlight, max] = [opts.inFlight ?? 4, opts.max ?? 64];
  type Waiting = { event: PortSecurityEvent; resolve(r: { id: number; isDuplicate: boolean }): void; reject(e: unknown): void };
  let queue: Waiting[] = [];
  let writing = 0;
  const flush = () => {
    if (writing >= inFlight || queue.length === 0) return;
    const batch = queue.slice(0, max);
    queue = queue.slice(max);
    writing++;
    // A batch that fails (one bad event, a deadlock Postgres broke) is tried again one event at a
    // time, so an event is refused only for its own fault, never for a neighbour's.
    const write =
      batch.length === 1
        ? Promise.allSettled([acceptPortSecurityEvent(db, batch[0]!.event)])
        : acceptPortSecurityEvents(
            db,
            batch.map((w) => w.event),
          ).then(
            (results) => results.map((value) => ({ status: "fulfilled" as const, value })),
            // With the database away, one at a time would only fail the same way, slower.
            (e: unknown) =>
              isDatabaseUnavailable(e)
                ? batch.map(() => ({ status: "rejected" as const, reason: e }))
                : Promise.allSettled(batch.map((w) => acceptPortSecurityEvent(db, w.event))),
          );
    void write
      .then((settled) => settled.forEach((r, i) => (r.status === "fulfilled" ? batch[i]!.resolve(r.value) : batch[i]!.reject(r.reason))))
      .finally(() => {
        writing--;
        flush();
      });
  };
  return {
    accept(event: PortSecurityEvent): Promise<{ id: number; isDuplicate: boolean }> {
      return new Promise((resolve, reject) => {
        queue.push({ event, resolve, reject });
        flush();
      });
    },
  };
}

export function enqueuePortSecurityEvents(tx: DbOrTx, serverId: number): Promise<number> {
  return enqueueJob(tx, "port-security-event", { serverId }, { jobKey: jobKeys.portSecurityServer(serverId) });
}

/**
 * The safety net, each minute and whenever a worker sees the database come back: servers with
 * events still `received` get their event job again, and switches with events `queued` on a push
 * get their run again (job keys join a job already waiting). `olderThanS` is 60 for the cron (a
 * job that gave up) and 0 after an outage, when jobs that were running at the drop, or used up
 * their attempts while the database was away, may have left work behind. After an outage every
 * switch with dirty ports or a push whose end no run saw is run again too: nothing accepted waits
 * for a new event to wake it.
 */
export async function requeueWaitingEvents(db: Db, opts: { olderThanS?: number; isAfterOutage?: boolean } = {}): Promise<number> {
  const age = opts.olderThanS ?? 60;
  const waiting = await db.execute<{ server_id: number }>(sql`
    select distinct server_id from port_security_events where status = 'received' and received_at < now() - make_interval(secs => ${age})`);
  for (const w of waiting) await db.transaction((tx) => enqueuePortSecurityEvents(tx, Number(w.server_id)));
  const stranded = await db.execute<{ switch_id: number }>(sql`
    select switch_id from port_security_events
      where status = 'queued' and switch_id is not null and received_at < now() - make_interval(secs => ${age})
    union select switch_id from switch_dirty_ports where ${opts.isAfterOutage ?? false}
    union select switch_id from switch_pushes where ${opts.isAfterOutage ?? false} and status in ('running', 'awaiting-confirm')`);
  for (const s of stranded) await enqueueReconcile(db, Number(s.switch_id), opts.isAfterOutage ? "after-database-outage" : "requeue-waiting-events");
  return waiting.length + stranded.length;
}

export function listPortSecurityEvents(
  db: DbOrTx,
  f: { serverId?: number; status?: PortSecurityEventRow["status"]; action?: PortSecurityEventRow["action"]; limit: number },
): Promise<PortSecurityEventRow[]> {
  const where = and(
    f.serverId ? eq(portSecurityEvents.serverId, f.serverId) : undefined,
    f.status ? eq(portSecurityEvents.status, f.status) : undefined,
    f.action ? eq(portSecurityEvents.action, f.action) : undefined,
  );
  return db.select().from(portSecurityEvents).where(where).orderBy(desc(portSecurityEvents.id)).limit(f.limit);
}
