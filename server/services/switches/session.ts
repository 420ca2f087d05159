import type { SwitchRow } from "@/drizzle/schema";
import type { JunosSession, JunosTarget, SessionOptions } from "@/server/connectors/junos/session";
import { unseal } from "@/server/crypto/secret-box";
import type { Db } from "@/server/db/client";

/** What every switch-facing service needs; tests pass the lab's switches through the same connector. */
export interface SwitchDeps {
  db: Db;
  secretsKey: Buffer;
  openSession(target: JunosTarget, opts?: SessionOptions): Promise<JunosSession>;
  sessionOptions?: SessionOptions;
}

/** Opens a session with the switch's sealed credentials, pinned to `fingerprint` (undefined: first contact). */
export function openSwitchSession(deps: SwitchDeps, sw: SwitchRow, fingerprint: string | undefined): Promise<JunosSession> {
  const target: JunosTarget = {
    host: sw.host,
    port: sw.port,
    username: sw.username,
    password: sw.passwordSealed ? unseal(sw.passwordSealed, deps.secretsKey) : undefined,
    privateKey: sw.privateKeySealed ? unseal(sw.privateKeySealed, deps.secretsKey) : undefined,
    hostKeyFingerprint: fingerprint,
  };
  return deps.openSession(target, deps.sessionOptions);
}

/**
 * The switch's configuration as `show configuration | display set` prints it, read on a session
 * pinned to its approved host key and closed afterwards, whatever happens. `first` runs on that
 * session before the read (the drift audit detects the dialect there), `after` once it is read (the
 * backup reads LLDP and LACP there), so one session serves all: no extra login.
 */
export async function readSwitchConfig<T = undefined, U = undefined>(
  deps: SwitchDeps,
  sw: SwitchRow,
  first?: (session: JunosSession) => Promise<T>,
  after?: (session: JunosSession) => Promise<U>,
): Promise<{ config: string; first: T; after: U }> {
  const session = await openSwitchSession(deps, sw, sw.hostKeyFingerprint ?? undefined);
  try {
    const head = first ? await first(session) : (undefined as T);
    const config = await session.run("show configuration | display set");
    return { config, first: head, after: after ? await after(session) : (undefined as U) };
  } finally {
    await session.close();
  }
}
