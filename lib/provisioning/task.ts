// Proxmox task ids and outcomes (../shared/reference/proxmox-api.md, "Tasks"; pve-common PVE::Tools::upid_decode):
// `UPID:{node}:{pid}:{pstart}:{starttime}:{type}:{id}:{user}:` with pid, pstart and starttime in hex.

export interface Upid {
  node: string;
  pid: number;
  startTime: Date;
  type: string;
  id: string;
  user: string;
}

const UPID_RE = /^UPID:([a-zA-Z0-9][a-zA-Z0-9.-]*):([0-9A-F]{8}):([0-9A-F]{8,9}):([0-9A-F]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

/** A UPID Proxmox answered, or null when it is not one (then nothing can be followed). */
export function parseUpid(text: string): Upid | null {
  const m = UPID_RE.exec(text.trim());
  if (!m) return null;
  return { node: m[1]!, pid: parseInt(m[2]!, 16), startTime: new Date(parseInt(m[4]!, 16) * 1000), type: m[5]!, id: m[6]!, user: m[7]! };
}

/** `status` of a stopped task: `OK` and `WARNINGS: n` succeeded; anything else is Proxmox's error text. */
export function findTaskOutcome(status: {
  status: string;
  exitstatus?: string;
}): { state: "running" } | { state: "ok"; warnings: number } | { state: "failed"; message: string } {
  if (status.status !== "stopped") return { state: "running" };
  const exit = (status.exitstatus ?? "").trim();
  if (exit === "OK") return { state: "ok", warnings: 0 };
  const w = /^WARNINGS: (\d+)$/.exec(exit);
  if (w) return { state: "ok", warnings: Number(w[1]) };
  return { state: "failed", message: exit || "the task stopped without an exit status" };
}
