import { getDatabase } from "@/server/db/client";
import { requireSessionAccess } from "@/server/http/session-guard";
import { text } from "@/server/http/respond";
import { exportPortMapCsv, exportPortMapNetbox } from "@/server/services/edge/port-map";

export const dynamic = "force-dynamic";

const KINDS = ["port-map", "netbox-interfaces", "netbox-cables"] as const;

/** The physical port map as our CSV, or as NetBox's interface / cable import CSVs, for signed-in viewers. */
export async function GET(_req: Request, ctx: { params: Promise<{ kind: string }> }) {
  const session = await requireSessionAccess("viewer");
  if ("refusal" in session) return session.refusal;
  const { kind: asked } = await ctx.params;
  const kind = KINDS.find((k) => k === asked);
  if (!kind) return text(404, "not found: port-map, netbox-interfaces or netbox-cables\n");
  const { db } = getDatabase();
  const csv = kind === "port-map" ? await exportPortMapCsv(db) : (await exportPortMapNetbox(db))[kind === "netbox-interfaces" ? "interfacesCsv" : "cablesCsv"];
  return text(200, csv, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="sankofa-${kind}.csv"` });
}
