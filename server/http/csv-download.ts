import { getDatabase, type Db } from "@/server/db/client";
import { requireSessionAccess } from "./session-guard";
import { text } from "./respond";

/**
 * The GET handler of a `…/export/[kind]` download for signed-in viewers: `kind` must be one of
 * `kinds` (else a 404 naming them), and the file is `sankofa-<kind>.csv`. The IPAM and port-map
 * exports share it so that their access rule, refusal text and headers cannot drift apart.
 */
export function answerCsvDownloads<K extends string>(kinds: readonly K[], readCsv: (db: Db, kind: K, params: URLSearchParams) => Promise<string>) {
  const known = `${kinds.slice(0, -1).join(", ")} or ${kinds[kinds.length - 1]}`;
  return async function GET(req: Request, ctx: { params: Promise<{ kind: string }> }): Promise<Response> {
    const session = await requireSessionAccess("viewer");
    if ("refusal" in session) return session.refusal;
    const { kind: asked } = await ctx.params;
    const kind = kinds.find((k) => k === asked);
    if (!kind) return text(404, `not found: ${known}\n`);
    // The query string carries a filtered view's params (a table's "Export CSV"); exports without one ignore it.
    const csv = await readCsv(getDatabase().db, kind, new URL(req.url).searchParams);
    return text(200, csv, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="sankofa-${kind}.csv"` });
  };
}
