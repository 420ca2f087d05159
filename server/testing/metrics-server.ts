import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "@/server/db/client";
import { sendWebResponse, toWebRequest } from "./web-request";

/**
 * Serves the real `/api/metrics` route handler over node:http on loopback, reading the given
 * database (the handler takes the process's pool, which is set to the test's here).
 */
export async function serveMetrics(database: Database): Promise<{ url: string; scrape(): Promise<string>; close(): Promise<void> }> {
  (globalThis as unknown as { sankofaDb?: Database }).sankofaDb = database;
  const { GET } = await import("@/app/api/metrics/route");
  const server = createServer((req, res) => {
    void (async () => {
      const request = await toWebRequest(req, "http://127.0.0.1", 1024);
      await sendWebResponse(res, await GET(request));
    })().catch((e: unknown) => {
      res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/metrics`;
  return {
    url,
    async scrape() {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`/api/metrics answered ${res.status}`);
      return res.text();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One sample's value from Prometheus text, matched by name and exactly these labels; undefined when absent. */
export function readSample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) found[k!] = v!;
    const keys = Object.keys(labels);
    if (keys.length === Object.keys(found).length && keys.every((k) => found[k] === labels[k])) return Number(m[3]);
  }
  return undefined;
}
