// The listener we ship for Tenantos (docs/tenantos/*.php) run by real PHP against our real doors
// over loopback HTTP: what it posts is what the doors accept and store. PHP is `php` from PATH when
// it has curl, else PHP 8.3 compiled to WebAssembly from npm (server/testing/php.ts): nothing to install.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { asc, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { serveOnNode } from "@/bench/http-door";
import { portSecurityEvents } from "@/drizzle/schema";
import { createTestDatabase } from "@/server/testing/database";
import { resolvePhp } from "@/server/testing/php";
import { PORT_SECURITY_EVENT_DOOR } from "./port-security-event";
import { PROVISIONING_EVENT_DOOR } from "./provisioning-event";
import { serveTenantosDoorOnNode } from "./tenantos-door";

const execFileAsync = promisify(execFile);
const php = resolvePhp();
/** Runs PHP with these arguments, as `php ARGS` would. */
const run = (args: string[], options: { env: NodeJS.ProcessEnv; timeout?: number }) =>
  execFileAsync(php.command, [...php.prefix, ...args], { timeout: 60_000, ...options });
// PHP gets only what it needs (no inherited token or URL from the developer's shell); NODE_ENV is
// there because Next's types make it required in every environment object.
const phpEnv = (vars: Record<string, string> = {}): NodeJS.ProcessEnv => ({ NODE_ENV: "test", PATH: process.env.PATH ?? "/usr/bin:/bin", ...vars });
console.info(`tenantos listener tests run ${php.describe}`);
const tenantosDir = path.resolve(import.meta.dirname, "../../docs/tenantos");
const runner = path.join(tenantosDir, "test/run.php");

const { db } = await createTestDatabase();
const token = "tenantos-listener-token-0123456789abcdef";

// Every request the doors saw, and how many of the next ones to answer 502 before the door does
// (to see the listener retry a failing controller).
const seen: { path: string; status: number }[] = [];
let failNext = 0;
// The doors as the production server answers them (node:http, before Next's router).
const DOORS = { "/api/port-security/event": PORT_SECURITY_EVENT_DOOR, "/api/provisioning/event": PROVISIONING_EVENT_DOOR } as const;
const door = await serveOnNode(async (req, res) => {
  const pathname = (req.url ?? "").split("?")[0]!;
  const target = DOORS[pathname as keyof typeof DOORS];
  if (failNext > 0 || !target) {
    const status = failNext > 0 ? 502 : 404;
    failNext = Math.max(0, failNext - 1);
    for await (const _chunk of req);
    res.writeHead(status).end(status === 502 ? "upstream down" : "not found");
  } else await serveTenantosDoorOnNode(req, res, { db, token }, target);
  seen.push({ path: pathname, status: res.statusCode });
});
afterAll(() => door.close());

/** Runs one scenario of docs/tenantos/test/run.php (asynchronously: the doors answer in this process). */
async function tenantos(scenario: object, env: Record<string, string> = {}) {
  try {
    const { stderr } = await run([runner, JSON.stringify(scenario)], {
      env: phpEnv({ SANKOFA_CONTROLLER_URL: door.url, PORT_SECURITY_EVENT_API_BEARER_TOKEN: token, ...env }),
    });
    return { code: 0, stderr };
  } catch (e) {
    const err = e as { code?: number | string; stderr?: string };
    return { code: err.code, stderr: err.stderr ?? "" };
  }
}

const storedFor = (serverId: number) =>
  db
    .select({ action: portSecurityEvents.action, serverId: portSecurityEvents.serverId, ip: portSecurityEvents.ip })
    .from(portSecurityEvents)
    .where(eq(portSecurityEvents.serverId, serverId))
    .orderBy(asc(portSecurityEvents.id));

// Each scenario starts PHP once or more; PHP compiled to WebAssembly takes seconds to start on a busy machine.
describe("the Tenantos listener against our doors", { timeout: 120_000 }, () => {
  it("every PHP file in docs/tenantos lints clean with php -l, the stubs included", async () => {
    const files = readdirSync(tenantosDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".php"));
    expect(files).toEqual(
      expect.arrayContaining([
        "ServerNetworkContext.php",
        "SankofaEventPoster.php",
        "SankofaServerDeletedHook.php",
        "SankofaServerProvisionedHook.php",
        "test/stubs.php",
        "test/run.php",
      ]),
    );
    // In parallel: PHP compiled to WebAssembly takes a few seconds to start.
    const linted = await Promise.all(files.map(async (f) => ({ f, ...(await run(["-l", path.join(tenantosDir, f)], { env: phpEnv() })) })));
    for (const { f, stdout } of linted) expect(stdout, f).toContain("No syntax errors detected");
  });

  it("php -l reports a broken file (so a clean lint above means something)", async () => {
    const broken = path.join(mkdtempSync(path.join(os.tmpdir(), "sankofa-php-")), "Broken.php");
    writeFileSync(broken, "<?php\nfunction handle( {\n");
    // Some PHP builds exit 0 after a parse error, so the verdict is read from the output.
    const out = await run(["-l", broken], { env: phpEnv() }).catch((e: { stdout?: string; stderr?: string }) => e);
    expect(`${out.stdout}${out.stderr}`).toContain("Errors parsing");
    expect(out.stdout).not.toContain("No syntax errors detected");
  });

  it("afterServerIpAssignments: one ip_assigned per IP, elements given as strings or arrays", async () => {
    const before = seen.length;
    const result = await tenantos({
      event: "assignments",
      serverId: 4101,
      // `ip`, else `ipAddress`, wins over other addresses in the element (a gateway); a list
      // gives its first string that is an address; a repeated IP is sent once.
      ips: [
        "10.0.48.6",
        { gateway: "10.0.48.1", ip: "10.0.48.7", description: "web" },
        { gateway: "2001:db8::1", ipAddress: "2001:db8::5" },
        ["eth0", "10.0.48.9"],
        "10.0.48.6",
      ],
      request: { performVlanActions: "perform" },
    });
    expect(result).toEqual({ code: 0, stderr: "" });
    expect(await storedFor(4101)).toEqual([
      { action: "ip_assigned", serverId: 4101, ip: "10.0.48.6" },
      { action: "ip_assigned", serverId: 4101, ip: "10.0.48.7" },
      { action: "ip_assigned", serverId: 4101, ip: "2001:db8::5" },
      { action: "ip_assigned", serverId: 4101, ip: "10.0.48.9" },
    ]);
    expect(seen.length - before).toBe(4);
  });

  it("afterServerIpRemovals: one ip_removed per IP, serverId given as a string; without request() (a queued job) it still sends", async () => {
    const result = await tenantos({ event: "removals", serverId: "4102", ips: [{ ip: "10.0.49.1" }, "10.0.49.2"] });
    expect(result).toEqual({ code: 0, stderr: "" });
    expect(await storedFor(4102)).toEqual([
      { action: "ip_removed", serverId: 4102, ip: "10.0.49.1" },
      { action: "ip_removed", serverId: 4102, ip: "10.0.49.2" },
    ]);
  });

  it("sends nothing when the request's performVlanActions is none", async () => {
    const before = seen.length;
    const none = await tenantos({ event: "assignments", serverId: 4103, ips: ["10.0.50.1"], request: { performVlanActions: "none" } });
    expect(none.code).toBe(0);
    expect(none.stderr).toContain("performVlanActions is none");
    const removal = await tenantos({ event: "removals", serverId: 4103, ips: ["10.0.50.1"], request: { performVlanActions: "none" } });
    expect(removal.code).toBe(0);
    expect(seen.length).toBe(before);
    expect(await storedFor(4103)).toEqual([]);
    // The same assignment with "preview" does go out: the skip is about "none" only.
    expect((await tenantos({ event: "assignments", serverId: 4103, ips: ["10.0.50.1"], request: { performVlanActions: "preview" } })).code).toBe(0);
    expect(await storedFor(4103)).toEqual([{ action: "ip_assigned", serverId: 4103, ip: "10.0.50.1" }]);
  });

  it("the deletion route hook posts server_deleted for the route's server, and nothing when the deletion failed", async () => {
    expect(await tenantos({ hook: "deleted", args: [{ result: [] }], route: { server: "4104" }, responseStatus: 200 })).toEqual({ code: 0, stderr: "" });
    expect(await storedFor(4104)).toEqual([{ action: "server_deleted", serverId: 4104, ip: null }]);

    const failed = await tenantos({ hook: "deleted", args: [{ result: [] }], route: { server: "4105" }, responseStatus: 500 });
    expect(failed.code).toBe(0);
    expect(failed.stderr).toContain("did not succeed");
    expect(await storedFor(4105)).toEqual([]);
  });

  it("the provisioning hook posts to the provisioning door", async () => {
    expect(await tenantos({ hook: "provisioned", serverId: 4106 })).toEqual({ code: 0, stderr: "" });
    expect(await storedFor(4106)).toEqual([{ action: "server_provisioned", serverId: 4106, ip: null }]);
    expect(seen.at(-1)).toEqual({ path: "/api/provisioning/event", status: 202 });
  });

  it("with a wrong token it logs the 401 once, does not retry, does not throw into Tenantos", async () => {
    const before = seen.length;
    const result = await tenantos(
      { event: "assignments", serverId: 4107, ips: ["10.0.51.1"] },
      { PORT_SECURITY_EVENT_API_BEARER_TOKEN: "not-the-token-0123456789abcdef" },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("refused with HTTP 401");
    expect(seen.slice(before)).toEqual([{ path: "/api/port-security/event", status: 401 }]);
    expect(await storedFor(4107)).toEqual([]);
  });

  it("retries a 5xx and the event arrives once", async () => {
    const before = seen.length;
    failNext = 2;
    const result = await tenantos({ event: "removals", serverId: 4108, ips: ["10.0.52.1"] });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("try 2 of 3 failed with HTTP 502");
    expect(seen.slice(before).map((s) => s.status)).toEqual([502, 502, 202]);
    expect(await storedFor(4108)).toEqual([{ action: "ip_removed", serverId: 4108, ip: "10.0.52.1" }]);
  });

  it("an unreachable controller is logged after three tries, never thrown", async () => {
    // A port that was just ours and is closed again: connection refused, on loopback only.
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const result = await tenantos({ hook: "provisioned", serverId: 4109 }, { SANKOFA_CONTROLLER_URL: `http://127.0.0.1:${port}` });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("not delivered after 3 tries");
    expect(await storedFor(4109)).toEqual([]);
  });

  it("without the token or the URL configured it logs and sends nothing", async () => {
    const before = seen.length;
    const result = await tenantos({ event: "assignments", serverId: 4110, ips: ["10.0.53.1"] }, { PORT_SECURITY_EVENT_API_BEARER_TOKEN: "" });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("PORT_SECURITY_EVENT_API_BEARER_TOKEN is not set");
    expect(seen.length).toBe(before);
  });
});
