import { csvStreamResponse } from "@/lib/csv/stream-csv";
import { eventTableSpec } from "@/lib/port-security/event-table";
import { parseTableState } from "@/lib/table/url-state";
import { getDatabase } from "@/server/db/client";
import { requireSessionAccess } from "@/server/http/session-guard";
import { streamEventCsv } from "@/server/services/port-security/queries";

export const dynamic = "force-dynamic";

/** The port-security events table's filtered, sorted view as CSV, every page (its "Export CSV"), streamed as the client reads. */
export async function GET(req: Request) {
  const session = await requireSessionAccess("viewer");
  if ("refusal" in session) return session.refusal;
  const { state } = parseTableState(eventTableSpec, new URL(req.url).searchParams);
  return csvStreamResponse("sankofa-port-security-events.csv", streamEventCsv(getDatabase().db, state));
}
