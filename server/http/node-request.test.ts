import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { readNodeBody } from "./node-request";

// The production web process reads the event doors' bodies straight from node:http: a body past the
// limit must reach the door as "too large" (413), without the rest being held in memory.
const LIMIT = 1024;
const server = http.createServer((req, res) => {
  void readNodeBody(req, LIMIT).then((body) => {
    res.writeHead(body === undefined ? 413 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify({ size: body?.length ?? null, text: body?.subarray(0, 8).toString("utf8") ?? null }));
  });
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
afterAll(() => new Promise<void>((r) => server.close(() => r())));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/port-security/event?x=1`;

describe("a door's body read from node:http", () => {
  it("keeps the body whole up to the limit", async () => {
    const res = await fetch(url, { method: "POST", body: "a".repeat(LIMIT) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ size: LIMIT, text: "aaaaaaaa" });
  });

  it("refuses a body over the limit as too large, declared or streamed, and the connection still answers", async () => {
    expect((await fetch(url, { method: "POST", body: "a".repeat(50 * LIMIT) })).status).toBe(413);
    const chunked = new ReadableStream({
      start(c) {
        for (let i = 0; i < 50; i++) c.enqueue(new TextEncoder().encode("a".repeat(LIMIT)));
        c.close();
      },
    });
    expect((await fetch(url, { method: "POST", body: chunked, duplex: "half" } as RequestInit)).status).toBe(413);
    expect((await fetch(url, { method: "POST", body: "{}" })).status).toBe(200);
  });
});
