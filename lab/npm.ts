import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { LAB_HOST, listenOnLoopback, closeServer } from "./loopback";
import { createLabCertificate } from "./tls";

// The lab's Nginx Proxy Manager API over real HTTP on loopback: classic NPM (admin port 81 in
// plain HTTP, bearer tokens) or NPMplus (HTTPS with a self-signed certificate, the token only in a
// cookie). Shapes from /work/shared/reference/edge-apis.md, "Nginx Proxy Manager (and NPMplus)":
// NPMplus since 2026-01 answers a login `{expires}` and sets `__Host-Http-token` (httpOnly, Secure,
// SameSite=Strict), refreshes with `GET /api/tokens` from the cookie, answers 403 to a request
// whose `Origin` or cross-site `Sec-Fetch-Site` does not match, sends stream ports as strings and
// `npmplus_access_list_ids[]` on proxy hosts. That a bearer header is refused is our reading of
// "the token is only a cookie" (NPMplus#2633: "I moved the auth to cookies").

export interface LabNpmLocation {
  path: string;
  forwardScheme: "http" | "https";
  forwardHost: string;
  forwardPort: number;
}

export interface LabNpmProxyHost {
  id: number;
  domainNames: string[];
  forwardScheme: "http" | "https";
  forwardHost: string;
  forwardPort: number;
  /** 0 = none (edge-apis.md). */
  certificateId: number;
  isSslForced?: boolean;
  isEnabled?: boolean;
  locations?: LabNpmLocation[];
}

export interface LabNpmCertificate {
  id: number;
  niceName: string;
  domainNames: string[];
  expiresOn: Date;
  provider: "letsencrypt" | "other";
}

export interface LabNpmStream {
  id: number;
  incomingPort: number;
  forwardingHost: string;
  forwardingPort: number;
  isTcp: boolean;
  isUdp: boolean;
  isEnabled?: boolean;
}

export interface LabNpmWorld {
  proxyHosts: LabNpmProxyHost[];
  certificates: LabNpmCertificate[];
  streams: LabNpmStream[];
}

export interface LabNpm {
  url: string;
  /** NPMplus only: the self-signed certificate's SHA-256 fingerprint, to pin. */
  fingerprint256?: string;
  identity: string;
  secret: string;
  world: LabNpmWorld;
  /** How many `POST /api/tokens` logins and `GET /api/tokens` refreshes it answered. */
  counts(): { logins: number; refreshes: number };
  /** Every token issued so far is expired from now on (the console was idle past `expires`). */
  expireTokens(): void;
  setDown(isDown: boolean): void;
  close(): Promise<void>;
}

export interface LabNpmOptions {
  port?: number;
  world: LabNpmWorld;
  identity?: string;
  secret?: string;
  /** A login's token lifetime; edge-apis.md: "default 1 day". */
  tokenTtlMs?: number;
  /** The lab's clock, so a test can move past a token's `expires` without waiting. */
  now?: () => Date;
  /** Versions before v2.12.0 send booleans as 0/1 (edge-apis.md); the connector accepts both. */
  hasLegacyBooleans?: boolean;
  /** `npmplus`: HTTPS, the cookie-only token and its other differences (see the top of this file). */
  flavour?: "npm" | "npmplus";
}

const NPMPLUS_COOKIE = "__Host-Http-token";

const DAY_MS = 24 * 3600_000;

/** `?expiry=30d`-style lifetimes; NPM's own parser takes more units, this covers the ones a client sends (a guess at the set). */
function parseExpiry(text: string | null): number | undefined {
  const m = /^(\d+)([smhd])$/.exec(text ?? "");
  if (!m) return undefined;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3600_000, d: DAY_MS }[m[2] as "s" | "m" | "h" | "d"];
}

// NPM stores certificate expiry as a MySQL/SQLite datetime and answers it as "YYYY-MM-DD HH:mm:ss" (a guess at the exact format; the field name is documented).
const formatDatetime = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19);

export async function startLabNpm(opts: LabNpmOptions): Promise<LabNpm> {
  const world = opts.world;
  const identity = opts.identity ?? "sankofa@lab.sankofa";
  const secret = opts.secret ?? "lab-npm-password";
  const ttl = opts.tokenTtlMs ?? DAY_MS;
  const now = opts.now ?? (() => new Date());
  const tokens = new Map<string, Date>(); // token → expires
  let logins = 0;
  let refreshes = 0;
  let isDown = false;
  const bool = (v: boolean) => (opts.hasLegacyBooleans ? (v ? 1 : 0) : v);

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
  };
  // NPM's error body: `{error: {code, message}}` (a guess from its express error handler; the status codes are what matter).
  const fail = (res: http.ServerResponse, status: number, message: string) => send(res, status, { error: { code: status, message } });
  const issue = (lifetimeMs: number) => {
    const token = randomBytes(24).toString("base64url");
    const expires = new Date(now().getTime() + lifetimeMs);
    tokens.set(token, expires);
    return { token, expires: expires.toISOString() };
  };
  const isPlus = opts.flavour === "npmplus";
  const bearer = (req: http.IncomingMessage) => /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  const fromCookie = (req: http.IncomingMessage) =>
    (req.headers.cookie ?? "")
      .split(";")
      .map((c) => c.trim().split("="))
      .find(([k]) => k === NPMPLUS_COOKIE)?.[1];
  /** A login's or refresh's answer: classic NPM's `{token, expires}`, or NPMplus's cookie and `{expires}`. */
  const sendToken = (res: http.ServerResponse, t: { token: string; expires: string }) => {
    if (!isPlus) return send(res, 200, t);
    res.setHeader("set-cookie", `${NPMPLUS_COOKIE}=${t.token}; Path=/; Expires=${new Date(t.expires).toUTCString()}; HttpOnly; Secure; SameSite=Strict`);
    send(res, 200, { expires: t.expires });
  };
  const readBody = (req: http.IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
  const certificateJson = (c: LabNpmCertificate) => ({
    id: c.id,
    nice_name: c.niceName,
    domain_names: c.domainNames,
    expires_on: formatDatetime(c.expiresOn),
    provider: c.provider,
    meta: {},
  });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (isDown) return fail(res, 503, "service unavailable");
    const url = new URL(req.url ?? "/", "http://lab");
    if (isPlus && (req.headers.origin !== undefined || req.headers["sec-fetch-site"] === "cross-site")) return fail(res, 403, "Forbidden");
    if (req.method === "POST" && url.pathname === "/api/tokens") {
      logins += 1;
      const body = JSON.parse((await readBody(req)) || "{}") as { identity?: string; secret?: string };
      if (body.identity !== identity || body.secret !== secret) return fail(res, 401, "Invalid email or password");
      return sendToken(res, issue(ttl));
    }
    const token = isPlus ? fromCookie(req) : bearer(req);
    const expires = token ? tokens.get(token) : undefined;
    if (!expires) return fail(res, 401, "Permission Denied");
    if (expires <= now()) return fail(res, 401, "Token has expired");
    if (req.method === "GET" && url.pathname === "/api/tokens") {
      refreshes += 1;
      // Refresh: a new token with the asked lifetime (`?expiry=30d`), else the default.
      return sendToken(res, issue(parseExpiry(url.searchParams.get("expiry")) ?? ttl));
    }
    if (req.method !== "GET") return fail(res, 405, "method not allowed");
    if (url.pathname === "/api/nginx/proxy-hosts") {
      const isExpanded = (url.searchParams.get("expand") ?? "").split(",").includes("certificate");
      const query = url.searchParams.get("query");
      return send(
        res,
        200,
        world.proxyHosts
          .filter((h) => !query || h.domainNames.some((d) => d.includes(query)))
          .map((h) => {
            const cert = world.certificates.find((c) => c.id === h.certificateId);
            return {
              id: h.id,
              created_on: "2026-01-01 00:00:00",
              domain_names: h.domainNames,
              forward_scheme: h.forwardScheme,
              forward_host: h.forwardHost,
              forward_port: h.forwardPort,
              certificate_id: h.certificateId,
              ssl_forced: bool(h.isSslForced ?? h.certificateId > 0),
              enabled: bool(h.isEnabled ?? true),
              meta: { nginx_online: true, nginx_err: null },
              locations: (h.locations ?? []).map((l) => ({
                path: l.path,
                forward_scheme: l.forwardScheme,
                forward_host: l.forwardHost,
                forward_port: l.forwardPort,
              })),
              ...(isPlus ? { npmplus_access_list_ids: [] } : { access_list_id: 0 }),
              advanced_config: "",
              ...(isExpanded ? { certificate: cert ? certificateJson(cert) : null } : {}),
            };
          }),
      );
    }
    if (url.pathname === "/api/nginx/streams")
      return send(
        res,
        200,
        world.streams.map((s) => ({
          id: s.id,
          incoming_port: isPlus ? String(s.incomingPort) : s.incomingPort,
          forwarding_host: s.forwardingHost,
          forwarding_port: isPlus ? String(s.forwardingPort) : s.forwardingPort,
          tcp_forwarding: bool(s.isTcp),
          udp_forwarding: bool(s.isUdp),
          enabled: bool(s.isEnabled ?? true),
          certificate_id: 0,
        })),
      );
    if (url.pathname === "/api/nginx/certificates") return send(res, 200, world.certificates.map(certificateJson));
    fail(res, 404, "Not Found");
  };

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((e: Error) => fail(res, 500, e.message));
  };
  const certificate = isPlus ? createLabCertificate() : undefined;
  const server = certificate ? https.createServer({ key: certificate.key, cert: certificate.cert }, onRequest) : http.createServer(onRequest);
  const port = await listenOnLoopback(server, opts.port);
  return {
    url: `${certificate ? "https" : "http"}://${LAB_HOST}:${port}`,
    ...(certificate ? { fingerprint256: certificate.fingerprint256 } : {}),
    identity,
    secret,
    world,
    counts: () => ({ logins, refreshes }),
    expireTokens: () => {
      for (const t of tokens.keys()) tokens.set(t, new Date(0));
    },
    setDown: (v) => {
      isDown = v;
    },
    close: () => closeServer(server),
  };
}
