import { csvStreamResponse } from "@/lib/csv/stream-csv";
import { hasAccess } from "@/lib/auth/roles";
import { auditTableSpec } from "@/lib/audit/audit-table";
import { parseTableState } from "@/lib/table/url-state";
import { getDatabase } from "@/server/db/client";
import { requireSessionAccess } from "@/server/http/session-guard";
import { iterateAuditView, streamAuditCsv } from "@/server/services/platform/queries";

export const dynamic = "force-dynamic";

/**
 * The audit table's filtered, sorted view as CSV, every page (its "Export CSV"), for the readers the
 * page has. Billing entries lose their figures for readers without the finance door, as on the page.
 * Streamed a batch at a time as the client reads.
 */
export async function GET(req: Request) {
  const session = await requireSessionAccess("viewer");
  if ("refusal" in session) return session.refusal;
  const { state } = parseTableState(auditTableSpec, new URL(req.url).searchParams);
  const rows = iterateAuditView(getDatabase().db, { ...state, isBillingHidden: !hasAccess(session.user.roles, "finance") });
  return csvStreamResponse("sankofa-audit.csv", streamAuditCsv(rows));
}
