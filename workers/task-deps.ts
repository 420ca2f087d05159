import type { Db } from "@/server/db/client";
import { openJunosSession } from "@/server/connectors/junos/session";
import type { Env } from "@/server/env";
import { loadOutsideSystems } from "@/server/services/port-security/connections";
import type { ProxmoxClient } from "@/server/connectors/proxmox/client";
import type { OutsideSystems } from "@/server/connectors/outside-systems";

/** What tasks need from the outside; the runner passes the real ones, tests pass theirs. */
export interface TaskDeps {
  db: Db;
  secretsKey: Buffer;
  openJunosSession: typeof openJunosSession;
  confirmMinutes?: number;
  /** How long one of the switches' minutes lasts here (lab switches run their clock faster); default 60 s. */
  switchMinuteMs?: number;
  /**
   * Tenantos and Proxmox, when configured: panel-managed ports and events need them. A function is
   * asked on every run, so connections saved in the console apply without a restart.
   */
  panel?: OutsideSystems | (() => Promise<OutsideSystems | undefined>);
  /** The inventory collector's Proxmox; unset, it is resolved from the configuration at each run. */
  resolveInventoryProxmox?: () => Promise<ProxmoxClient | undefined>;
  /** The Proxmox provisioning writes to (a token with write privileges); unset, the configured connection. */
  resolveProvisioningProxmox?: () => Promise<ProxmoxClient | undefined>;
  /** Between two reads of a running Proxmox task (default 1 s; tests go faster). */
  provisioningPollMs?: number;
}

export async function resolveOutsideSystems(deps: Pick<TaskDeps, "panel">): Promise<OutsideSystems | undefined> {
  return typeof deps.panel === "function" ? deps.panel() : deps.panel;
}

/** The real task deps, one way for the launcher's in-process worker and `npm run worker`. */
export function composeTaskDeps(db: Db, env: Env, secretsKey: Buffer): TaskDeps {
  return { db, secretsKey, openJunosSession, panel: () => loadOutsideSystems(db, env, secretsKey) };
}
