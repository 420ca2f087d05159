// The event door in its own process (fork), as in production where Next serves the door and the
// worker runs elsewhere: argv = database URL (or "empty" for the lower bound), bearer token.
import { createDatabase } from "@/server/db/client";
import { PORT_SECURITY_EVENT_DOOR } from "@/server/doors/port-security-event";
import { serveTenantosDoorOnNode } from "@/server/doors/tenantos-door";
import { createEventGatherer } from "@/server/services/port-security/events";
import { serveEmpty202, serveOnNode } from "./http-door";

const [dbUrl, token] = [process.argv[2]!, process.argv[3]!];
const database = dbUrl === "empty" ? undefined : createDatabase(dbUrl, { max: 10 });
// As the production server does (server/boot/web-server.ts): events arriving together, stored together.
const gatherer = database ? createEventGatherer(database.db) : undefined;
const server = database
  ? await serveOnNode((req, res) => serveTenantosDoorOnNode(req, res, { db: database.db, token, accept: gatherer!.accept }, PORT_SECURITY_EVENT_DOOR))
  : await serveEmpty202();
process.on("message", (m: { type: string }) => {
  if (m.type === "stop")
    void server
      .close()
      .then(() => database?.close())
      .then(() => process.exit(0));
});
process.send!({ type: "ready", url: server.url });
