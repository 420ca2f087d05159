import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { runOnce } from "graphile-worker";
import { SMTPServer } from "smtp-server";
import { afterAll, describe, expect, it } from "vitest";
import { auditLog, notificationDeliveries, notificationReceivers, switches } from "@/drizzle/schema";
import { startLabSwitch } from "@/lab/junos/ssh-switch";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createTestDatabase } from "@/server/testing/database";
import { readSample, serveMetrics } from "@/server/testing/metrics-server";
import { silentLogger } from "@/workers/runner";
import { createDeliverNotificationTask } from "@/workers/tasks/deliver-notification";
import { reconcileSwitch, type ReconcileDeps } from "../switches/reconcile";
import { createSwitch, setPortBindings } from "../switches/switches";
import { evaluateNotifications, listReceivers, requestTestNotification, saveReceiver } from "./notifications";
import { BINDING_LATENCY_BUCKETS, readBindingLatencyBounds } from "./queries";

const database = await createTestDatabase();
const { db, url } = database;
const secretsKey = randomBytes(32);
const admin = { id: "admin@notify.test" };
const deps: ReconcileDeps = { db, secretsKey, openSession: openJunosSession, confirmMinutes: 1, sessionOptions: { commandTimeoutMs: 5_000 } };
const metrics = await serveMetrics(database);
afterAll(() => metrics.close());

// A loopback webhook receiver and a loopback SMTP server: what arrived is what was sent.
const posts: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];
const http = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    posts.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
const httpBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

const mails: Array<{ from: string; to: string[]; raw: string; user?: string }> = [];
const smtp = new SMTPServer({
  // Plain SMTP on loopback with AUTH: the receiver's sealed password must arrive as typed.
  disabledCommands: ["STARTTLS"],
  allowInsecureAuth: true,
  onAuth(auth, _session, cb) {
    if (auth.username === "alerts" && auth.password === "smtp-secret") return cb(null, { user: auth.username });
    cb(new Error("bad credentials"));
  },
  onData(stream, session, cb) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      mails.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString("utf8"),
        user: session.user as string | undefined,
      });
      cb();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
const smtpPort = (smtp.server.address() as AddressInfo).port;
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

/** Runs the queued delivery jobs once, as the worker would (only this task: other jobs stay queued). */
const runDeliveries = () =>
  runOnce({
    connectionString: url,
    logger: silentLogger,
    taskList: { "deliver-notification": createDeliverNotificationTask({ db, secretsKey, openJunosSession }) },
  });

const binding = (i: number) => ({ ip: `10.0.48.${i}`, mac: `02:00:0a:00:30:${i.toString(16).padStart(2, "0")}`, vlan: "VLAN.13" });

describe("notifications and the push series", () => {
  it("a failing push moves pushes_total{outcome=failed}, sends one webhook message and one email, and one 'resolved' of each after the next good push", async () => {
    const sw = await startLabSwitch({ name: `notify-${process.pid}`, dialect: "non-els", timeScale: 60, initialConfig: "set system host-name lab" });
    afterAll(() => sw.close());
    const row = await createSwitch(db, secretsKey, admin, { name: sw.name, host: sw.host, port: sw.port, username: sw.username, password: sw.password });
    await db.update(switches).set({ hostKeyFingerprint: sw.hostKeyFingerprint, hostKeyState: "approved" }).where(eq(switches.id, row.id));
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/1", bindings: [binding(5)] });
    expect((await reconcileSwitch(deps, row.id, "test")).status).toBe("committed");

    await saveReceiver(db, secretsKey, admin, { kind: "webhook", name: "ops hook", url: `${httpBase}/hook`, secret: "hook-signing-secret" });
    await saveReceiver(db, secretsKey, admin, { kind: "slack", name: "ops chat", secret: `${httpBase}/slack/T000/B000/XXXX` });
    await saveReceiver(db, secretsKey, admin, {
      kind: "email",
      name: "ops mail",
      host: "127.0.0.1",
      port: smtpPort,
      isTls: false,
      username: "alerts",
      from: "sankofa@notify.test",
      to: ["oncall@notify.test"],
      secret: "smtp-secret",
    });
    // Secrets are sealed: nothing readable in the row, nor in what the console lists, nor in the audit.
    const stored = await db.select().from(notificationReceivers);
    expect(JSON.stringify(stored.map((r) => r.settings))).not.toMatch(/smtp-secret|hook-signing-secret|XXXX/);
    expect(stored.every((r) => r.secretSealed && !r.secretSealed.toString("utf8").includes("secret"))).toBe(true);
    expect(JSON.stringify(await listReceivers(db))).not.toMatch(/smtp-secret|hook-signing-secret|XXXX/);
    const audits = await db.select().from(auditLog).where(eq(auditLog.entityType, "notification_receiver"));
    expect(audits.map((a) => a.action)).toEqual(["notification_receiver.create", "notification_receiver.create", "notification_receiver.create"]);
    expect(JSON.stringify(audits)).not.toMatch(/smtp-secret|hook-signing-secret|XXXX/);

    const before = await metrics.scrape();
    expect(readSample(before, "sankofa_switch_pushes_total", { switch: sw.name, outcome: "committed" })).toBe(1);
    expect(readSample(before, "sankofa_switch_pushes_total", { switch: sw.name, outcome: "failed" })).toBeUndefined();
    expect(await evaluateNotifications(db)).toMatchObject({ started: [], cleared: [] });

    // The switch refuses the next commit.
    sw.setFaults({ commitError: "lab: commit refused for the test" });
    await setPortBindings(db, admin, { switchId: row.id, interface: "ge-0/0/1", bindings: [binding(6)] });
    expect((await reconcileSwitch(deps, row.id, "test")).status).toBe("failed");

    const failed = await metrics.scrape();
    expect(readSample(failed, "sankofa_switch_pushes_total", { switch: sw.name, outcome: "failed" })).toBe(1);
    expect(readSample(failed, "sankofa_switch_last_push_failed", { switch: sw.name, error_kind: "commit" })).toBe(1);
    expect(readSample(failed, "sankofa_switch_push_duration_seconds_count", { switch: sw.name })).toBe(2);

    const first = await evaluateNotifications(db);
    expect(first.started.map((c) => c.key)).toEqual([`push-failing:${sw.name}`]);
    // Still failing a minute later: no second message (deduplicated per condition).
    expect(await evaluateNotifications(db)).toMatchObject({ started: [], cleared: [] });
    await runDeliveries();

    const hooks = posts.filter((p) => p.path === "/hook");
    expect(hooks).toHaveLength(1);
    const body = JSON.parse(hooks[0]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ version: 1, event: "firing", condition: `push-failing:${sw.name}`, kind: "push-failing", subject: sw.name });
    // Signed as Standard Webhooks asks, with the sealed secret.
    const h = hooks[0]!.headers;
    const expected = createHmac("sha256", "hook-signing-secret")
      .update(`${String(h["webhook-id"])}.${String(h["webhook-timestamp"])}.${hooks[0]!.body}`)
      .digest("base64");
    expect(h["webhook-signature"]).toBe(`v1,${expected}`);
    const chats = posts.filter((p) => p.path.startsWith("/slack/"));
    expect(chats).toHaveLength(1);
    expect((JSON.parse(chats[0]!.body) as { text: string }).text).toContain(`FIRING: Switch ${sw.name}: the last push failed (commit)`);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ from: "sankofa@notify.test", to: ["oncall@notify.test"], user: "alerts" });
    expect(mails[0]!.raw).toMatch(new RegExp(`Subject: \\[Sankofa IT\\] FIRING: Switch ${sw.name}: the last push`));

    // A Tenantos event for the waiting port, received ten minutes ago: done when the next push lands.
    expect(readSample(failed, "sankofa_binding_latency_seconds_count")).toBe(0);
    await database.sql`
      insert into port_security_events (received_at, action, server_id, ip, dedupe_key, status, switch_id, interface)
      select now() - interval '10 minutes', 'ip_assigned', 77, '10.0.48.6', 'ip_assigned|77|10.0.48.6', 'queued', switch_id, interface
      from switch_dirty_ports where switch_id = ${row.id}`;

    // The switch accepts commits again; the next push carries the waiting change.
    sw.setFaults({});
    expect((await reconcileSwitch(deps, row.id, "test")).status).toBe("committed");
    const second = await evaluateNotifications(db);
    expect(second).toMatchObject({ started: [], cleared: [`push-failing:${sw.name}`] });
    await runDeliveries();
    expect(await evaluateNotifications(db)).toMatchObject({ started: [], cleared: [] });
    await runDeliveries();

    const hooksAfter = posts.filter((p) => p.path === "/hook").map((p) => JSON.parse(p.body) as { event: string; condition: string });
    expect(hooksAfter.map((p) => [p.event, p.condition])).toEqual([
      ["firing", `push-failing:${sw.name}`],
      ["resolved", `push-failing:${sw.name}`],
    ]);
    expect(posts.filter((p) => p.path.startsWith("/slack/"))).toHaveLength(2);
    expect(mails).toHaveLength(2);
    expect(mails[1]!.raw).toMatch(/Subject: \[Sankofa IT\] RESOLVED: Resolved: Switch/);
    const ok = await metrics.scrape();
    expect(readSample(ok, "sankofa_switch_pushes_total", { switch: sw.name, outcome: "committed" })).toBe(2);
    expect(readSample(ok, "sankofa_switch_last_push_failed", { switch: sw.name, error_kind: "" })).toBe(0);
    // Event → committed binding: counted once, in no bucket below its ten minutes; the database's bounds are the exported ones.
    expect(readSample(ok, "sankofa_binding_latency_seconds_count")).toBe(1);
    expect(readSample(ok, "sankofa_binding_latency_seconds_bucket", { le: "300" })).toBe(0);
    expect(readSample(ok, "sankofa_binding_latency_seconds_bucket", { le: "+Inf" })).toBe(1);
    expect(readSample(ok, "sankofa_binding_latency_seconds_sum")).toBeGreaterThanOrEqual(600);
    expect(await readBindingLatencyBounds(db)).toEqual([...BINDING_LATENCY_BUCKETS]);
    const deliveries = await db.select().from(notificationDeliveries);
    expect(deliveries.map((d) => d.status)).toEqual(Array(6).fill("sent"));
  });

  it("a dead receiver fails only its own delivery (retried by the job), and 'send a test' reaches a live one", async () => {
    const dead = await saveReceiver(db, secretsKey, admin, { kind: "webhook", name: "dead hook", url: "http://127.0.0.1:9/nobody" });
    const live = (await listReceivers(db)).find((r) => r.name === "ops hook")!;
    const { deliveryId: deadId } = await requestTestNotification(db, admin, dead.id);
    const { deliveryId: liveId } = await requestTestNotification(db, admin, live.id);
    const seen = posts.length;
    await runDeliveries();
    const [deadRow] = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, deadId));
    const [liveRow] = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, liveId));
    // Still queued: graphile-worker retries it later with backoff; the error is shown meanwhile.
    expect(deadRow).toMatchObject({ status: "queued", attempts: 1, error: expect.stringContaining("did not answer") });
    expect(liveRow).toMatchObject({ status: "sent", attempts: 1 });
    expect(posts.slice(seen).map((p) => (JSON.parse(p.body) as { event: string }).event)).toEqual(["test"]);
    const [job] = await database.sql<Array<{ attempts: number; isLater: boolean }>>`
      select attempts, run_at > now() as "isLater" from graphile_worker.jobs where task_identifier = 'deliver-notification'`;
    expect(job).toEqual({ attempts: 1, isLater: true });
  });
});
