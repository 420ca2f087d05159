// `npm start`'s web process: Next's production server, with Tenantos's two event doors answered
// before Next's router. They are the hot path (a burst of IP changes posts one event each), and on
// a 2-core host Next's per-request routing cost capped them far below what the door itself does:
// through Next ~350 events/s, on node:http ~950/s with the worker busy beside it (bench:webhooks);
// answering on node:http directly rather than through web Request/Response objects halves the
// door's own CPU per event (measured: ~220 µs → ~115 µs, client and server in one process).
// Every other path, the doors' GET/HEAD included, is Next's. The handlers are the same ones the
// app/api route files call, so both ways in behave alike.
import http from "node:http";
import next from "next";
import { getDatabase } from "@/server/db/client";
import { PORT_SECURITY_EVENT_DOOR } from "@/server/doors/port-security-event";
import { PROVISIONING_EVENT_DOOR } from "@/server/doors/provisioning-event";
import { serveTenantosDoorOnNode, type TenantosDoor } from "@/server/doors/tenantos-door";
import { getEnv } from "@/server/env";
import { stampPeerAddress } from "@/server/http/client-address";
import { createEventGatherer } from "@/server/services/port-security/events";

const FAST_DOORS: Record<string, TenantosDoor> = {
  "/api/port-security/event": PORT_SECURITY_EVENT_DOOR,
  "/api/provisioning/event": PROVISIONING_EVENT_DOOR,
};

async function main(): Promise<void> {
  const [port, host] = [Number(process.argv[2]), process.argv[3]!];
  const app = next({ dev: false, hostname: host, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const base = `http://${host}:${port}`;
  // Events arriving together are stored together: fewer round trips and socket writes per event.
  const { db } = getDatabase();
  const gatherer = createEventGatherer(db);
  const doorDeps = { db, token: getEnv().PORT_SECURITY_EVENT_API_BEARER_TOKEN, accept: gatherer.accept };
  const server = http.createServer((req, res) => {
    // Who the peer is, for the sign-in throttle and the audit log (a client cannot set this header: it is overwritten).
    stampPeerAddress(req);
    const door = req.method === "POST" ? FAST_DOORS[(req.url ?? "").split("?")[0]!] : undefined;
    if (!door) return void handle(req, res);
    void serveTenantosDoorOnNode(req, res, doorDeps, door).catch((e: unknown) => {
      console.error(`sankofa: door ${req.url}: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "internal error" }));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  console.log(`sankofa: web listening on ${base}`);
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((e: unknown) => {
  console.error(`sankofa: web: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
