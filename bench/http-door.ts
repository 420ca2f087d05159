// Serves a door on node:http as the production server does (server/boot/web-server.ts answers the
// event doors before Next's router): the bench measures the door and the database, not the framework.
import http from "node:http";
import type { AddressInfo } from "node:net";

export async function serveOnNode(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => void handler(req, res));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** The lower bound: the same server reading the body and answering 202 at once, no database. */
export function serveEmpty202(): Promise<{ url: string; close(): Promise<void> }> {
  return serveOnNode(async (req, res) => {
    for await (const _chunk of req);
    const body = JSON.stringify({ eventId: 0, duplicate: false });
    res.writeHead(202, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
}
