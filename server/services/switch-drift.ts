import { eq } from "drizzle-orm";
import { switchDriftReports, switchPortBindings } from "@/drizzle/schema";
import type { Binding } from "@/lib/junos/bindings";
import { parseBindingsFromDisplaySet } from "@/lib/junos/config-parse";
import { detectDialectFromVersion } from "@/lib/junos/dialect-detect";
import { findBindingDrift, type PortDrift } from "@/lib/junos/drift";
import { JunosError } from "@/lib/junos/errors";
import { openSwitchSession, type SwitchDeps } from "./switch-session";
import { getSwitch } from "./switches";

/**
 * Read-only: compares what the switch holds with what it should hold and stores the report.
 * Nothing is changed on the switch; fixing is a reconcile's or an admin's decision.
 */
export async function auditSwitchDrift(deps: SwitchDeps, switchId: number): Promise<PortDrift[] | null> {
  const sw = await getSwitch(deps.db, switchId);
  let ports: PortDrift[] | null = null;
  let error: string | null = null;
  try {
    if (sw.hostKeyState !== "approved") throw new JunosError("host-key", "host key not approved");
    const session = await openSwitchSession(deps, sw, sw.hostKeyFingerprint ?? undefined);
    let config: string;
    let dialect = sw.dialect;
    try {
      dialect ??= detectDialectFromVersion(await session.run("show version")) ?? "non-els";
      config = await session.run("show configuration | display set");
    } finally {
      await session.close();
    }
    const desiredRows = await deps.db.select().from(switchPortBindings).where(eq(switchPortBindings.switchId, switchId));
    const desired = new Map(desiredRows.map((r) => [r.interface, r.bindings as Binding[]]));
    ports = findBindingDrift(desired, parseBindingsFromDisplaySet(config, dialect).ports);
  } catch (e) {
    if (!(e instanceof JunosError)) throw e;
    error = `${e.kind}: ${e.message}`;
  }
  await deps.db
    .insert(switchDriftReports)
    .values({ switchId, ports, error })
    .onConflictDoUpdate({ target: switchDriftReports.switchId, set: { ports, error, checkedAt: new Date() } });
  return ports;
}
