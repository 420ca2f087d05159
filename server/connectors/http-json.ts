import http from "node:http";
import https from "node:https";
import type { TLSSocket } from "node:tls";

export interface HttpJsonOptions {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  /** PEM CA to trust (a self-signed panel or hypervisor) instead of the system store. */
  ca?: string;
  /** SHA-256 fingerprint (`AB:CD:…`) the server certificate must have; checked on top of, or instead of, the CA. */
  fingerprint256?: string;
}

export type HttpFailure = { kind: "timeout" | "unreachable" | "tls"; message: string };

export interface HttpJsonResult {
  status: number;
  json: unknown;
}

/**
 * One JSON request over node's http/https, with a hard timeout and optional certificate pinning.
 * TLS verification stays on unless a fingerprint pin replaces it.
 */
export function requestJson(url: string, opts: HttpJsonOptions): Promise<HttpJsonResult> {
  const u = new URL(url);
  const isHttps = u.protocol === "https:";
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const fail = (kind: HttpFailure["kind"], message: string) => reject(Object.assign(new Error(message), { kind }));
    const req = (isHttps ? https : http).request(
      u,
      {
        method: opts.method ?? "GET",
        headers: { accept: "application/json", ...(payload ? { "content-type": "application/json" } : {}), ...opts.headers },
        timeout: opts.timeoutMs,
        ...(isHttps ? { ca: opts.ca, rejectUnauthorized: !opts.fingerprint256 } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = { unparsed: text.slice(0, 500) };
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    if (isHttps && opts.fingerprint256) {
      req.on("socket", (socket) => {
        socket.on("secureConnect", () => {
          const cert = (socket as TLSSocket).getPeerCertificate();
          if (cert.fingerprint256?.toUpperCase() !== opts.fingerprint256!.toUpperCase()) {
            req.destroy(Object.assign(new Error(`certificate ${cert.fingerprint256} is not the pinned ${opts.fingerprint256}`), { kind: "tls" }));
          }
        });
      });
    }
    req.on("timeout", () => req.destroy(Object.assign(new Error(`no answer from ${u.host} within ${opts.timeoutMs} ms`), { kind: "timeout" })));
    req.on("error", (e: Error & { kind?: HttpFailure["kind"]; code?: string }) => fail(e.kind ?? (/CERT|SSL|TLS/.test(e.code ?? "") ? "tls" : "unreachable"), e.message));
    if (payload) req.write(payload);
    req.end();
  });
}
