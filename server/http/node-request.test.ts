import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { readBodyLimited } from "./read-body";
import { sendWebResponse, toWebRequest } from "./node-request";

// The production web process hands the event doors a web Request built here: a body past the
// limit must reach the door as "too large" (413), without the rest being held in memory.
const LIMIT = 1024;
const server = http.createServer((req, res) => {
  void toWebRequest(req, "http://127.0.0.1", LIMIT).then(async (request) => {
    const text = await readBodyLimited(request, LIMIT);
    await sendWebResponse(res, Response.json({ size: text?.length ?? null, url: request.url }, { status: text === undefined ? 413 : 200 }));
  });
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
afterAll(() => new Promise<void>((r) => server.close(() => r())));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/port-security/event?x=1`;

describe("a node:http request handed to a door", () => {
  it("keeps the body, path and query within the limit", async () => {
    const res = await fetch(url, { method: "POST", body: "a".repeat(LIMIT) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ size: LIMIT, url: "http://127.0.0.1/api/port-security/event?x=1" });
  });

  it("a body over the limit is refused as too large, declared or streamed", async () => {
    expect((await fetch(url, { method: "POST", body: "a".repeat(50 * LIMIT) })).status).toBe(413);
    const chunked = new ReadableStream({
      start(c) {
        for (let i = 0; i < 50; i++) c.enqueue(new TextEncoder().encode("a".repeat(LIMIT)));
        c.close();
      },
    });
    expect((await fetch(url, { method: "POST", body: chunked, duplex: "half" } as RequestInit)).status).toBe(413);
  });
});
