import type { IncomingMessage } from "node:http";

/** Reads chunks until the body ends or passes `limit` (the rest is never held in memory). */
export async function readChunks(req: IncomingMessage, limit: number): Promise<{ chunks: Buffer[]; size: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    const chunk = c as Buffer;
    size += chunk.length;
    chunks.push(chunk);
    if (size > limit) break;
  }
  return { chunks, size };
}

/** A node:http request's body, or undefined when it is over `limit` (declared or sent): the caller answers 413. */
export async function readNodeBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers["content-length"] ?? "0") > limit) return undefined;
  const { chunks, size } = await readChunks(req, limit);
  return size > limit ? undefined : Buffer.concat(chunks);
}
