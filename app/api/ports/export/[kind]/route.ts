import { answerCsvDownloads } from "@/server/http/csv-download";
import { exportPortMapCsv, exportPortMapNetbox } from "@/server/services/edge/port-map";

export const dynamic = "force-dynamic";

/** The physical port map as our CSV, or as NetBox's interface / cable import CSVs, for signed-in viewers. */
export const GET = answerCsvDownloads(["port-map", "netbox-interfaces", "netbox-cables"], async (db, kind) =>
  kind === "port-map" ? exportPortMapCsv(db) : (await exportPortMapNetbox(db))[kind === "netbox-interfaces" ? "interfacesCsv" : "cablesCsv"],
);
