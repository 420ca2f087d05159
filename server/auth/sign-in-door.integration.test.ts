import { and, eq } from "drizzle-orm";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/drizzle/schema";
import { stampPeerAddress } from "@/server/http/client-address";
import { createTestDatabase } from "@/server/testing/database";
import { createBootstrapAdmin } from "./bootstrap-admin";
import { clientOf, guardCredentialsSignIn, verifyBootstrapSignIn } from "./sign-in-guard";

// The bootstrap admin's door over real HTTP on loopback, from several client addresses (127.0.0.0/8
// is all loopback on Linux, so a client can bind 127.0.0.2 or 127.0.0.3). The server does what the
// production web server and the sign-in route do: stamp the socket's peer, guard, check the password.
// TRUSTED_PROXIES names one proxy, 127.0.0.5: every other peer's forwarding headers are ignored.
// (Set before the environment is first read; tests may set process.env.)
process.env.TRUSTED_PROXIES = "127.0.0.5";

const { db } = await createTestDatabase();
const PASSWORD = "correct horse battery staple";
let url: string;
let server: http.Server;
const admins = new Map<string, ReturnType<typeof createBootstrapAdmin>>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    stampPeerAddress(req);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])));
        const request = new Request(`http://door${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) });
        const refused = await guardCredentialsSignIn(request);
        if (refused) {
          res.writeHead(refused.status, Object.fromEntries(refused.headers)).end(await refused.text());
          return;
        }
        const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
        const email = form.get("email") ?? "";
        const isOk = await verifyBootstrapSignIn(db, admins.get(email)!, { email, password: form.get("password") ?? "", client: clientOf(request.headers) });
        res.writeHead(isOk ? 200 : 401).end();
      })();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/callback/credentials`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function adminFor(email: string) {
  admins.set(email, createBootstrapAdmin(email, PASSWORD));
  return email;
}

/** One sign-in post from `from` (a loopback address the client binds), with extra headers. */
function signIn(from: string, email: string, password: string, headers: Record<string, string> = {}): Promise<{ status: number; retryAfter?: string }> {
  const body = new URLSearchParams({ email, password }).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      localAddress: from,
      agent: false,
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)), ...headers },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the bootstrap admin's sign-in door", () => {
  it("five wrong passwords from one address do not lock the account for another address", async () => {
    const email = adminFor("breakglass-1@test.sankofa");
    for (let i = 0; i < 5; i++) expect((await signIn("127.0.0.2", email, `wrong-${i}`)).status).toBe(401);
    const held = await signIn("127.0.0.2", email, PASSWORD);
    expect(held.status).toBe(429);
    expect(Number(held.retryAfter)).toBeGreaterThan(0);
    // IT, from elsewhere, still gets in with the right password.
    expect((await signIn("127.0.0.3", email, PASSWORD)).status).toBe(200);
  });

  it("a spoofed X-Forwarded-For / X-Real-IP from an untrusted peer is ignored: not recorded as the client, and no way around the wait", async () => {
    const email = adminFor("breakglass-2@test.sankofa");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const spoof = `198.51.100.${i + 7}`;
      statuses.push((await signIn("127.0.0.4", email, `wrong-${i}`, { "x-forwarded-for": spoof, "x-real-ip": spoof, "x-sankofa-peer": spoof })).status);
    }
    // A fresh claimed address each time does not make a fresh bucket.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.sign_in_failed"), eq(auditLog.actor, email)));
    expect(rows.map((r) => (r.after as { client: string }).client)).toEqual(["127.0.0.4", "127.0.0.4"]);
  });

  it("behind the trusted proxy, the client is the right-most hop it appended: what the client prepended is ignored, and each client has its own wait", async () => {
    const email = adminFor("breakglass-3@test.sankofa");
    // Client 203.0.113.9 claims 198.51.100.99; the proxy appends the address it saw.
    for (let i = 0; i < 5; i++)
      expect((await signIn("127.0.0.5", email, `wrong-${i}`, { "x-forwarded-for": `198.51.100.${90 + i}, 203.0.113.9` })).status).toBe(401);
    expect((await signIn("127.0.0.5", email, "wrong-5", { "x-forwarded-for": "198.51.100.1, 203.0.113.9" })).status).toBe(429);
    // Another client behind the same proxy is not held.
    expect((await signIn("127.0.0.5", email, PASSWORD, { "x-forwarded-for": "203.0.113.10" })).status).toBe(200);
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.sign_in_failed"), eq(auditLog.actor, email)));
    expect(rows.map((r) => (r.after as { client: string }).client)).toEqual(["203.0.113.9", "203.0.113.9"]);
  });
});
