import { hasAccess } from "@/lib/auth/roles";
import { getSessionUser } from "@/server/auth/session";
import { getDatabase } from "@/server/db/client";
import { exportCsv } from "@/server/services/ipam/import";

export const dynamic = "force-dynamic";

const KINDS = ["vlans", "prefixes", "ip-addresses"] as const;

/** NetBox-format CSV of VLANs, prefixes or IP addresses, for signed-in viewers. */
export async function GET(_req: Request, ctx: { params: Promise<{ kind: string }> }) {
  const user = await getSessionUser();
  if (!user) return new Response("sign in first\n", { status: 401 });
  if (!hasAccess(user.roles, "viewer")) return new Response("forbidden\n", { status: 403 });
  const { kind: asked } = await ctx.params;
  const kind = KINDS.find((k) => k === asked);
  if (!kind) return new Response("not found: vlans, prefixes or ip-addresses\n", { status: 404 });
  const csv = await exportCsv(getDatabase().db, kind);
  return new Response(csv, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="sankofa-${kind}.csv"`, "cache-control": "no-store" },
  });
}
