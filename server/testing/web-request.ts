import type { IncomingMessage, ServerResponse } from "node:http";
import { readChunks } from "@/server/http/node-request";

// Tests serve a web-Request handler (a route handler's door) over real node:http with these.

/**
 * A node:http request as a web Request, its body read up to `limit + 1` bytes: a larger body stops
 * being read there, and the handler (which checks the size itself) answers 413 without the rest
 * ever being held in memory.
 */
export async function toWebRequest(req: IncomingMessage, base: string, limit: number): Promise<Request> {
  const { chunks, size } = await readChunks(req, limit);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  // The declared length no longer matches a truncated body; the size check reads the body itself.
  if (size > limit) headers.delete("content-length");
  return new Request(new URL(req.url ?? "/", base), {
    method: req.method,
    headers,
    body: chunks.length ? Buffer.concat(chunks).subarray(0, limit + 1) : undefined,
  });
}

export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}
