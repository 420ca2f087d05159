import { getDatabase } from "@/server/db/client";
import { requireSessionAccess } from "@/server/http/session-guard";
import { text } from "@/server/http/respond";
import { exportCsv } from "@/server/services/ipam/import";

export const dynamic = "force-dynamic";

const KINDS = ["vlans", "prefixes", "ip-addresses"] as const;

/** NetBox-format CSV of VLANs, prefixes or IP addresses, for signed-in viewers. */
export async function GET(_req: Request, ctx: { params: Promise<{ kind: string }> }) {
  const session = await requireSessionAccess("viewer");
  if ("refusal" in session) return session.refusal;
  const { kind: asked } = await ctx.params;
  const kind = KINDS.find((k) => k === asked);
  if (!kind) return text(404, "not found: vlans, prefixes or ip-addresses\n");
  const csv = await exportCsv(getDatabase().db, kind);
  return text(200, csv, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="sankofa-${kind}.csv"` });
}
