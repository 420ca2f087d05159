import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLabCertificate, type LabCertificate } from "@/lab/tls";
import { requestJson } from "./http-json";

interface TlsServer {
  url: string;
  /** TLS handshakes the server completed, and how many of them resumed an earlier session. */
  handshakes: { full: number; resumed: number };
  /** TCP connections the server accepted. */
  connections: number;
  /** Requests that reached the HTTP layer, i.e. got past the client's pin check. */
  requests: number;
  close(): Promise<void>;
}

interface PlainServer {
  url: string;
  host: string;
  /** Settles when the server sees the client's connection of the (first) request close. */
  clientGone: Promise<void>;
  close(): Promise<void>;
}

// Throw-away self-signed certificates, made at test time so no key material lives in the repository.
let served: LabCertificate;
let other: LabCertificate;
const servers: Array<{ close(): Promise<void> }> = [];

beforeAll(() => {
  served = createLabCertificate();
  other = createLabCertificate();
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A real HTTPS server on loopback with node's defaults (session tickets on); `keepAlive: false` closes every connection after its answer. */
async function startTlsServer(opts: { keepAlive: boolean }): Promise<TlsServer> {
  const server = https.createServer({ key: served.key, cert: served.cert }, (req, res) => {
    state.requests++;
    if (!opts.keepAlive) res.setHeader("connection", "close");
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ ok: true, n: state.requests }));
  });
  const state: TlsServer = {
    url: "",
    handshakes: { full: 0, resumed: 0 },
    connections: 0,
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on("connection", () => state.connections++);
  server.on("secureConnection", (socket: TLSSocket) => {
    if (socket.isSessionReused()) state.handshakes.resumed++;
    else state.handshakes.full++;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  servers.push(state);
  return state;
}

async function failureOf(p: Promise<unknown>): Promise<Error & { kind?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { kind?: string };
  }
  throw new Error("expected the request to fail");
}

describe("requestJson certificate pin", () => {
  it("holds on five new connections in a row, each a full handshake (no resumed session slips past the check)", async () => {
    const srv = await startTlsServer({ keepAlive: false });
    for (let i = 1; i <= 5; i++) {
      const res = await requestJson(srv.url, { timeoutMs: 5_000, fingerprint256: served.fingerprint256 });
      expect(res).toMatchObject({ status: 200, json: { ok: true, n: i } });
    }
    expect(srv.handshakes).toEqual({ full: 5, resumed: 0 });
  });

  it("accepts the pin whatever the case of its hex digits", async () => {
    const srv = await startTlsServer({ keepAlive: false });
    const res = await requestJson(srv.url, { timeoutMs: 5_000, fingerprint256: served.fingerprint256.toLowerCase() });
    expect(res.status).toBe(200);
  });

  it("refuses a wrong pin on the first and every later request, before the request reaches the server", async () => {
    const srv = await startTlsServer({ keepAlive: false });
    for (let i = 0; i < 3; i++) {
      const e = await failureOf(requestJson(srv.url, { timeoutMs: 5_000, fingerprint256: other.fingerprint256 }));
      expect(e.kind).toBe("tls");
      expect(e.message).toContain(`is not the pinned ${other.fingerprint256}`);
    }
    // Each refusal closes its connection, so every try is a new connection checked anew.
    expect(srv.connections).toBe(3);
    expect(srv.requests).toBe(0);
  });

  it("refuses a wrong pin even when a connection to the same host, opened under the right pin, is kept alive", async () => {
    const srv = await startTlsServer({ keepAlive: true });
    expect((await requestJson(srv.url, { timeoutMs: 5_000, fingerprint256: served.fingerprint256 })).status).toBe(200);
    const e = await failureOf(requestJson(srv.url, { timeoutMs: 5_000, fingerprint256: other.fingerprint256 }));
    expect(e.kind).toBe("tls");
    expect((await requestJson(srv.url, { timeoutMs: 5_000, fingerprint256: served.fingerprint256 })).status).toBe(200);
    expect(srv.requests).toBe(2);
    expect(srv.handshakes.resumed).toBe(0);
  });

  it("refuses a self-signed certificate when there is neither a pin nor a CA", async () => {
    const srv = await startTlsServer({ keepAlive: false });
    const e = await failureOf(requestJson(srv.url, { timeoutMs: 5_000 }));
    expect(e.kind).toBe("tls");
    expect(srv.requests).toBe(0);
  });
});

/** A plain HTTP server on loopback whose handler writes the answer its own way. */
async function startHttpServer(handler: (res: http.ServerResponse) => void): Promise<PlainServer> {
  let gone!: () => void;
  const clientGone = new Promise<void>((resolve) => (gone = resolve));
  const server = http.createServer((req, res) => {
    req.socket.once("close", gone);
    handler(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state: PlainServer = {
    url: `http://${host}/api`,
    host,
    clientGone,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(state);
  return state;
}

/** Writes 64 KiB chunks for as long as the client reads them: an answer without end. */
function endless(res: http.ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  res.writeHead(200, { "content-type": "application/json" });
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once("drain", pump);
  };
  pump();
}

describe("requestJson caps", () => {
  it("cuts a server that trickles its answer at the deadline, although bytes keep coming well within any idle timeout", { timeout: 10_000 }, async () => {
    let isFinished = false;
    const srv = await startHttpServer((res) => {
      // A byte a second for a minute: never idle for 1.5 s, done only after 60 s.
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
      let left = 60;
      const timer = setInterval(() => {
        if (--left > 0) return void res.write(" ");
        clearInterval(timer);
        isFinished = true;
        res.end("]");
      }, 1_000);
      res.once("close", () => clearInterval(timer));
    });
    const e = await failureOf(requestJson(srv.url, { timeoutMs: 1_500 }));
    expect(e.kind).toBe("timeout");
    expect(e.message).toContain(srv.host);
    await srv.clientGone;
    expect(isFinished).toBe(false);
  });

  it("refuses an answer past 16 MiB by default and tears the connection down", async () => {
    const srv = await startHttpServer(endless);
    const e = await failureOf(requestJson(srv.url, { timeoutMs: 20_000 }));
    expect(e.kind).toBe("too-large");
    expect(e.message).toBe(`the answer from ${srv.host} exceeded 16 MiB`);
    // The endless server only stops once the client hangs up.
    await srv.clientGone;
  });

  it("takes an answer of exactly maxBytes and refuses one byte more", async () => {
    const body = JSON.stringify({ pad: "x".repeat(990) });
    const srv = await startHttpServer((res) => res.end(body + (res.req.url === "/api/over" ? " " : "")));
    expect(body.length).toBe(1_000);
    expect((await requestJson(srv.url, { timeoutMs: 5_000, maxBytes: 1_000 })).json).toEqual({ pad: "x".repeat(990) });
    const e = await failureOf(requestJson(`${srv.url}/over`, { timeoutMs: 5_000, maxBytes: 1_000 }));
    expect(e.kind).toBe("too-large");
    expect(e.message).toBe(`the answer from ${srv.host} exceeded 1000 bytes`);
  });
});

describe("requestJson bodies", () => {
  it("sends every body (form and JSON, non-ASCII included) with its byte Content-Length, never chunked", async () => {
    const seen: Array<{ length?: string; te?: string; body: string }> = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({ length: req.headers["content-length"], te: req.headers["transfer-encoding"], body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    servers.push({ close: () => new Promise<void>((r) => server.close(() => r())) });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    await requestJson(url, { method: "PUT", form: { net0: "name=eth0,ip=10.0.0.2/24", description: "café" }, timeoutMs: 5_000 });
    await requestJson(url, { method: "POST", body: { name: "ünïcode" }, timeoutMs: 5_000 });
    await requestJson(url, { method: "POST", body: {}, timeoutMs: 5_000 });
    await requestJson(url, { method: "GET", timeoutMs: 5_000 });
    expect(seen.map((s) => s.te)).toEqual([undefined, undefined, undefined, undefined]);
    expect(seen.slice(0, 3).map((s) => Number(s.length))).toEqual(seen.slice(0, 3).map((s) => Buffer.byteLength(s.body)));
    expect(seen[3]!.length).toBeUndefined();
  });
});
