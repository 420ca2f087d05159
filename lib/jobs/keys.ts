// Queue names, job keys and advisory-lock keys, in one place. Queue names stay bounded (one per
// switch, never one per job); a job key makes a burst one job. Migration 0011's SQL function
// repeats the port-security event keys (`keys.test.ts`-style integration test checks they agree).

/** One queue per switch: every session to it (push, backup, drift check, removal) runs there, one at a time. */
export const switchQueue = (switchId: number) => `switch:${switchId}`;

export const jobKeys = {
  reconcileSwitch: (switchId: number) => `reconcile:switch:${switchId}`,
  backupSwitch: (switchId: number) => `backup:switch:${switchId}`,
  auditSwitchDrift: (switchId: number) => `drift:switch:${switchId}`,
  removeSwitch: (switchId: number) => `remove-switch:${switchId}`,
  /** Also the advisory lock the door and the event job take for a server (migration 0011 writes it too). */
  portSecurityServer: (serverId: number) => `ps:server:${serverId}`,
  collectInventory: "collect-inventory",
  /** One run per provisioning job: a re-enqueue (approval, resume) never makes two. */
  runProvisioningJob: (jobId: number) => `provisioning:job:${jobId}`,
  /** One collection per UTC day: a re-run asked for while one waits joins it. */
  collectUsage: (day: string) => `collect-usage:${day}`,
  collectUnifi: "collect-edge:unifi",
  collectNpm: "collect-edge:npm",
  collectNodeNetworks: "collect-edge:proxmox-network",
  /** One evaluation of the notification conditions at a time, and a burst of asks is one run. */
  evaluateNotifications: "evaluate-notifications",
} as const;

/** The advisory lock (hashtext of this) one notification evaluation holds while it compares and records transitions. */
export const NOTIFICATIONS_LOCK = "notifications:evaluate";

/** Provisioning jobs on one Proxmox node run one at a time (bounded: one queue per node). */
export const provisioningQueue = (node: string) => `provisioning:node:${node}`;

/** The keyed jobs a switch has, so deleting it removes them all. */
export const switchJobKeys = (switchId: number) => [jobKeys.reconcileSwitch(switchId), jobKeys.backupSwitch(switchId), jobKeys.auditSwitchDrift(switchId)];

export const INVENTORY_QUEUE = "inventory";

/** Stripe's events are applied one at a time, in one queue: the per-object "newer than last applied" check then never races. */
export const STRIPE_QUEUE = "billing-stripe";
/** Usage metering: one collection at a time. */
export const BILLING_USAGE_QUEUE = "billing-usage";
/** The edge collectors (UniFi, NPM, node networks) share one queue: one outside read at a time, never more. */
export const EDGE_QUEUE = "edge";
