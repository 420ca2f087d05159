import { eq } from "drizzle-orm";
import { switches, type SwitchRow } from "@/drizzle/schema";
import { detectDialectFromVersion } from "@/lib/junos/dialect-detect";
import type { JunosDialect } from "@/lib/junos/dialect";
import type { JunosSession } from "@/server/connectors/junos/session";
import type { DbOrTx } from "@/server/db/client";

/**
 * The switch's dialect, detected on an open (approved) session and stored, so every reader of its
 * configuration (push, drift audit, backups' views) parses it the same way. A stored one is kept.
 */
export async function detectSwitchDialect(db: DbOrTx, sw: Pick<SwitchRow, "id" | "dialect">, session: Pick<JunosSession, "run">): Promise<JunosDialect> {
  if (sw.dialect) return sw.dialect;
  let dialect = detectDialectFromVersion(await session.run("show version"));
  if (!dialect) {
    // Unknown model: ELS has no ethernet-switching-options hierarchy at all.
    const probe = await session.run("show configuration ethernet-switching-options | display set", { allowError: true });
    dialect = /syntax error/.test(probe) ? "els" : "non-els";
  }
  await db.update(switches).set({ dialect, updatedAt: new Date() }).where(eq(switches.id, sw.id));
  return dialect;
}
