import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { streamCsv, toUtf8Stream } from "./stream-csv";

async function* batches<T>(...bs: T[][]) {
  for (const b of bs) yield b;
}

describe("streamCsv", () => {
  it("writes the header once and each batch after it, RFC 4180 quoted and formula-escaped", async () => {
    const rows = batches<(string | number)[]>([["=cmd|' /C calc'!A0", -500, 'say "hi", twice']], [], [["Ama Ɔkyeame\nline two", 7, "+1"]]);
    const text = await new Response(toUtf8Stream(streamCsv(["name", "amount_minor", "note"], rows))).text();
    expect(text.startsWith("name,amount_minor,note\r\n")).toBe(true);
    expect(parse(text, { columns: true })).toEqual([
      { name: "'=cmd|' /C calc'!A0", amount_minor: "-500", note: 'say "hi", twice' },
      { name: "Ama Ɔkyeame\nline two", amount_minor: "7", note: "'+1" },
    ]);
  });

  it("quotes a field holding a bare CR or LF (RFC 4180 §2.6), as Postgres's formatting of the usage export does", async () => {
    const text = await new Response(toUtf8Stream(streamCsv(["a", "b", "c"], batches([["x\ny", "\r", "z"]])))).text();
    expect(text).toBe('a,b,c\r\n"x\ny","\'\r",z\r\n');
  });
});
