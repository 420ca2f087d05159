/** Reads a request body up to `limit` bytes; undefined when it is larger (the caller answers 413). */
export async function readBodyLimited(req: Request, limit: number): Promise<string | undefined> {
  return (await readBytesLimited(req, limit))?.toString("utf8");
}

/** The body's exact bytes, up to `limit` (a signature is checked over these, never over re-encoded text). */
export async function readBytesLimited(req: Request, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) return undefined;
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
