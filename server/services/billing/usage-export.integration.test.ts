import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { streamCsv } from "@/lib/csv/stream-csv";
import { createTestDatabase } from "@/server/testing/database";
import { streamUsageCsv, USAGE_COLUMNS } from "./csv";
import { handleBillingExport } from "./export";

// Issue 25, point 7: the usage export streams from Postgres with backpressure (COPY, pulled as the
// client reads). Both tests failed on the cursor version: it ran no COPY, so the progress Postgres
// reports for one was absent.
const { sql: pg } = await createTestDatabase();

async function readAll(chunks: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const c of chunks) out += c;
  return out;
}

// Text a user or an outside system may have typed: formula starts, quotes, separators, line
// breaks, non-ASCII (Postgres text holds no NUL).
const cellText = fc
  .string({
    unit: fc.oneof(fc.constantFrom("=", "+", "-", "@", "\t", "\r", "\n", '"', ",", "'", " ", "é", "€", "😀", "\\"), fc.string({ minLength: 1, maxLength: 1 })),
    maxLength: 12,
  })
  .map((s) => s.replaceAll("\0", ""));

describe("the usage export", () => {
  it("is byte for byte what streamCsv writes for the same rows (escaping, empty cells, order by day then row)", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.record({
            object: cellText.filter((s) => s.length > 0),
            node: fc.option(cellText, { nil: null }),
            quantity: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
            dayOffset: fc.integer({ min: 0, max: 2 }),
            ms: fc.integer({ min: 0, max: 10 ** 11 }),
            hasOrg: fc.boolean(),
          }),
          { selector: (r) => `${r.object}|${r.dayOffset}`, minLength: 1, maxLength: 25 },
        ),
        cellText.filter((s) => s.length > 0),
        async (rows, orgCode) => {
          run++;
          // Each run on days of its own, a year apart from the others.
          const base = Date.UTC(2040 + run, 0, 1);
          const day = (offset: number) => new Date(base + offset * 86_400_000).toISOString().slice(0, 10);
          // Straight into the table: the catalogue form refuses such codes, an older row or an import may not have.
          const [org] = await pg<
            { id: number; code: string }[]
          >`insert into billing_orgs (code, name) values (${`${orgCode}-${run}`}, 'org') returning id, code`;
          const ids: number[] = [];
          for (const r of rows) {
            const [row] = await pg<
              { id: string }[]
            >`insert into billing_usage_samples (source, object, meter, period, org_id, node, quantity_milli, collected_at)
              values ('proxmox', ${r.object}, 'cpu_hours', ${day(r.dayOffset)}, ${r.hasOrg ? org!.id : null}, ${r.node}, ${r.quantity}, ${new Date(r.ms).toISOString()}::timestamptz)
              returning id`;
            ids.push(Number(row!.id));
          }
          const expected = rows
            .map((r, i) => ({ r, id: ids[i]! }))
            .sort((a, b) => a.r.dayOffset - b.r.dayOffset || a.id - b.id)
            .map(({ r }) => [
              "billing-usage/1",
              day(r.dayOffset),
              "proxmox",
              r.object,
              "cpu_hours",
              r.hasOrg ? org!.code : "",
              r.node ?? "",
              r.quantity,
              new Date(r.ms).toISOString(),
            ]);
          const want = await readAll(
            streamCsv(
              USAGE_COLUMNS,
              (async function* () {
                yield expected;
              })(),
            ),
          );
          expect(await readAll(streamUsageCsv(pg, { from: day(0), to: day(2) }))).toBe(want);
        },
      ),
      { seed: 2507, numRuns: 20 },
    );
  });

  it("leaves in Postgres what a client has not read: the COPY stands still, well short of the end, until the client reads on", async () => {
    const rows = 40_000;
    const pad = "x".repeat(1000);
    await pg`insert into billing_usage_samples (source, object, meter, period, node, quantity_milli, collected_at)
      select 'proxmox', 'vmid:' || o || ':' || ${pad}, 'storage_gb_days', '2032-05-05', 'pve-a', o, now() from generate_series(1, ${rows}) o`;
    // About 41 MB of CSV: far more than the sockets and streams between Postgres and the client hold.
    const res = handleBillingExport(pg, "usage", new URLSearchParams({ from: "2032-05-05", to: "2032-05-05" }))!;
    const reader = res.body!.getReader();
    let lines = 0;
    const count = (chunk: Uint8Array) => {
      for (const b of chunk) if (b === 10) lines++;
    };
    for (let i = 0; i < 4; i++) count((await reader.read()).value!);

    // The client reads nothing now. Postgres says how far its COPY got; wait until it stops moving.
    const progress = async () =>
      Number(
        (
          await pg<
            { n: string }[]
          >`select coalesce(max(tuples_processed), 0)::text as n from pg_stat_progress_copy where command = 'COPY TO' and datname = current_database()`
        )[0]!.n,
      );
    let seen: number[] = [await progress()];
    while (seen.length < 6) {
      await new Promise((r) => setTimeout(r, 150));
      const now = await progress();
      seen = now === seen.at(-1) ? [...seen, now] : [now];
    }
    const stalled = seen[0]!;
    expect(stalled).toBeGreaterThan(0); // a COPY is running: the stream comes from it
    expect(stalled).toBeLessThan(rows / 2); // and it waits for the client instead of running to the end

    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      count(value);
    }
    expect(lines).toBe(rows + 1);
    expect(await progress()).toBe(0); // finished: no COPY left running
  });

  it("gives its connection back when the client goes away, and every connection serves the next export", async () => {
    const pad = "y".repeat(1000);
    await pg`insert into billing_usage_samples (source, object, meter, period, node, quantity_milli, collected_at)
      select 'proxmox', 'vmid:' || o || ':' || ${pad}, 'storage_gb_days', '2032-06-06', 'pve-a', o, now() from generate_series(1, 20000) o`;
    const params = new URLSearchParams({ from: "2032-06-06", to: "2032-06-06" });
    for (let i = 0; i < 6; i++) {
      const reader = handleBillingExport(pg, "usage", params)!.body!.getReader();
      await reader.read();
      await reader.read();
      await reader.cancel();
    }
    // More exports, one after another and side by side, than the pool has connections: none was
    // left paused or busy by an abandoned or a finished COPY (postgres.js left a finished COPY's
    // socket paused: patched, patches/postgres+3.4.9.patch).
    const read = async () => (await readAll(streamUsageCsv(pg, { from: "2032-06-06", to: "2032-06-06" }))).split("\r\n").length - 2;
    expect([await read(), await read()]).toEqual([20_000, 20_000]);
    expect(await Promise.all([1, 2, 3, 4, 5, 6].map(read))).toEqual(Array(6).fill(20_000));
  });
});
