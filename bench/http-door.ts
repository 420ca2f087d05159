// Serves a door's handler (web Request → Response) over node:http, as Next's route does, without
// Next itself: the bench measures the door and the database, not the framework.
import http from "node:http";
import type { AddressInfo } from "node:net";

export async function serveDoor(handler: (req: Request) => Promise<Response>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await handler(
      new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** The lower bound: the same server shape answering 202 at once, no database. */
export function serveEmpty202(): Promise<{ url: string; close(): Promise<void> }> {
  return serveDoor(async () => Response.json({ eventId: 0 }, { status: 202 }));
}
