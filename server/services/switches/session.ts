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
