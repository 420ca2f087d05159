import { answerCsvDownloads } from "@/server/http/csv-download";
import { exportCsv } from "@/server/services/ipam/import";

export const dynamic = "force-dynamic";

/** NetBox-format CSV of VLANs, prefixes or IP addresses, for signed-in viewers. */
export const GET = answerCsvDownloads(["vlans", "prefixes", "ip-addresses"], exportCsv);
