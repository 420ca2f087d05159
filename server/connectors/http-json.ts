import http from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";

export interface HttpJsonOptions {
  method?: "GET" | "POST" | "PUT";
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded instead of a JSON body (Proxmox's documented way). */
  form?: Record<string, string>;
  /** Hard deadline for the whole exchange (connect, TLS, request and the complete answer), not an idle time. */
  timeoutMs: number;
  /** Largest answer body read into memory; past it the request is torn down. Default 16 MiB. */
  maxBytes?: number;
  /** PEM CA to trust (a self-signed panel or hypervisor) instead of the system store. */
  ca?: string;
  /** SHA-256 fingerprint (`AB:CD:…`) the server certificate must have; checked on top of, or instead of, the CA. */
  fingerprint256?: string;
}

/** How a client reaches its outside system: the fields every system's config shares. */
export interface HttpConnectionConfig {
  /** Deadline for each whole request, answer included (10 s unless set). */
  timeoutMs?: number;
  /** Largest answer read into memory (default 16 MiB); a larger one fails with kind "too-large". */
  maxBytes?: number;
  ca?: string;
  fingerprint256?: string;
}

/** A request's options on a client's connection: its credentials' headers, the deadline, the answer cap and the TLS trust. */
export function connectionRequestOptions(cfg: HttpConnectionConfig, headers: Record<string, string>): HttpJsonOptions {
  return { headers, timeoutMs: cfg.timeoutMs ?? 10_000, maxBytes: cfg.maxBytes, ca: cfg.ca, fingerprint256: cfg.fingerprint256 };
}

export type HttpFailure = { kind: "timeout" | "unreachable" | "tls" | "too-large"; message: string };

export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

export interface HttpJsonResult {
  status: number;
  /** The status line's reason (pve-http-server puts its error there and sends no body). */
  statusText: string;
  json: unknown;
  /** The answer's headers (a session cookie, a CSRF token), lower-cased as node gives them. */
  headers: http.IncomingHttpHeaders;
}

/**
 * Checks the pin on every connection it opens, at the end of that connection's handshake, before any request is
 * written on it (so a refused server never sees the request's headers, API keys included).
 * Not in `checkServerIdentity`: node calls that only once the chain verified, which a pinned self-signed certificate never does.
 * Session resumption is off: a resumed session carries no peer certificate, so there would be nothing to check; and
 * node skips even `checkServerIdentity` on a resumed session. With resumption off, every connection is a full handshake.
 * Kept-alive connections are reused only by requests with the same pin, since there is one agent per pin.
 */
class PinnedAgent extends https.Agent {
  constructor(private readonly pin: string) {
    super({ keepAlive: true, maxCachedSessions: 0 });
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = super.createConnection(options, callback) as TLSSocket | null | undefined;
    socket?.once("secureConnect", () => {
      // Fail closed: a resumed session (which should not happen here) has no certificate, and `undefined` never matches.
      const seen = socket.isSessionReused() ? undefined : socket.getPeerCertificate().fingerprint256?.toUpperCase();
      if (seen !== this.pin) {
        const why = seen ? `certificate ${seen}` : "a resumed TLS session, without a certificate,";
        socket.destroy(Object.assign(new Error(`${why} is not the pinned ${this.pin}`), { kind: "tls" }));
      }
    });
    return socket;
  }
}

const pinnedAgents = new Map<string, PinnedAgent>();

// One agent per pin rather than per request, so keep-alive still spares a handshake per call; pins are few (one per configured panel).
function agentFor(fingerprint256: string): PinnedAgent {
  const pin = fingerprint256.toUpperCase();
  let agent = pinnedAgents.get(pin);
  if (!agent) {
    agent = new PinnedAgent(pin);
    pinnedAgents.set(pin, agent);
  }
  return agent;
}

/**
 * One JSON request over node's http/https, with a hard deadline, a cap on the answer's size and optional certificate pinning.
 * TLS verification stays on unless a fingerprint pin replaces it.
 */
export function requestJson(url: string, opts: HttpJsonOptions): Promise<HttpJsonResult> {
  const u = new URL(url);
  const isHttps = u.protocol === "https:";
  const payload = opts.form ? new URLSearchParams(opts.form).toString() : opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const contentType = opts.form ? "application/x-www-form-urlencoded" : "application/json";
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    let isSettled = false;
    const settle = (finish: () => void) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(deadline);
      finish();
    };
    const fail = (kind: HttpFailure["kind"], message: string) => settle(() => reject(Object.assign(new Error(message), { kind })));
    // Settles before destroying, so the errors the teardown raises on the request or the answer are ignored.
    const abort = (kind: HttpFailure["kind"], message: string) => {
      fail(kind, message);
      req.destroy();
    };
    // A socket idle timeout alone never fires on a server that trickles a byte at a time; this bounds the whole exchange.
    const deadline = setTimeout(() => abort("timeout", `no complete answer from ${u.host} within ${opts.timeoutMs} ms`), opts.timeoutMs);
    const req = (isHttps ? https : http).request(
      u,
      {
        method: opts.method ?? "GET",
        // A body goes with its Content-Length, never chunked: pve-http-server (PVE::APIServer::AnyEvent)
        // answers a chunked request 501 "chunked transfer encoding not supported", and node chunks a
        // body written without a length. The length is of the UTF-8 bytes, not of the string.
        headers: {
          accept: "application/json",
          ...(payload !== undefined ? { "content-type": contentType, "content-length": String(Buffer.byteLength(payload)) } : {}),
          ...opts.headers,
        },
        ...(isHttps ? { ca: opts.ca, rejectUnauthorized: !opts.fingerprint256, ...(opts.fingerprint256 ? { agent: agentFor(opts.fingerprint256) } : {}) } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (isSettled) return;
          size += c.length;
          if (size > maxBytes) return abort("too-large", `the answer from ${u.host} exceeded ${formatBytes(maxBytes)}`);
          chunks.push(c);
        });
        res.on("error", (e) => fail("unreachable", `${u.host} broke off its answer: ${e.message}`));
        // `close` without `end`: the connection went away mid-answer.
        res.on("close", () => fail("unreachable", `${u.host} closed the connection before the answer was complete`));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = { unparsed: text.slice(0, 500) };
          }
          settle(() => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", json, headers: res.headers }));
        });
      },
    );
    req.on("error", (e: Error & { kind?: HttpFailure["kind"]; code?: string }) =>
      fail(e.kind ?? (/CERT|SSL|TLS/.test(e.code ?? "") ? "tls" : "unreachable"), e.message),
    );
    req.end(payload);
  });
}
