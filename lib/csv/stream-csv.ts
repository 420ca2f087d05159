import { stringify } from "csv-stringify/sync";
import { CSV_CAST, CSV_QUOTED_MATCH, type CsvCell } from "./format-csv";

// The streaming twin of formatCsv (./format-csv.ts), for exports too large to hold: batches of
// rows in, CSV text out, the header first. Same rules: RFC 4180 quoting by csv-stringify, CRLF
// line ends (RFC 4180 §2.1), every string cell escaped against spreadsheet formulas, numbers
// written as they are. Memory is one batch, whatever the row count.

const OPTIONS = { record_delimiter: "windows", cast: CSV_CAST, quoted_match: CSV_QUOTED_MATCH } as const;

export async function* streamCsv(columns: readonly string[], batches: AsyncIterable<CsvCell[][]>): AsyncGenerator<string> {
  yield stringify([columns as string[]], OPTIONS);
  for await (const rows of batches) if (rows.length) yield stringify(rows, OPTIONS);
}

/**
 * An async generator of text (or of UTF-8 bytes already) as a web stream of UTF-8 bytes (a route
 * handler's body), pulled as the client reads: nothing is read ahead of what was asked for.
 */
export function toUtf8Stream(chunks: AsyncGenerator<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(typeof next.value === "string" ? encoder.encode(next.value) : next.value);
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    // One chunk queued at most: the next is read from the source only once the client took this one.
    { highWaterMark: 0 },
  );
}

/** A streamed CSV download: the chunks are pulled as the client reads, the file named `name`. */
export function csvStreamResponse(name: string, chunks: AsyncGenerator<string | Uint8Array>): Response {
  return new Response(toUtf8Stream(chunks), {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8; header=present",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
    },
  });
}
