import { createHash } from "node:crypto";
import type { LabGuest, LabProxmoxWorld } from "./proxmox";
import { listLabStorageVolumes } from "./proxmox-volumes";

// The write side of the lab's Proxmox VE API: power, resize, config, create CT, next VMID, and the
// asynchronous tasks they start. Built from the documented API, not from our connector:
// - endpoints and parameters: https://pve.proxmox.com/pve-docs/api-viewer/ (nodes/{node}/qemu|lxc/{vmid}/status/*,
//   …/resize, …/config, nodes/{node}/lxc, cluster/nextid, nodes/{node}/tasks/{upid}/status|log,
//   nodes/{node}/storage/{storage}/content) and ../shared/reference/proxmox-api.md ("Tasks", the table);
// - the UPID format `UPID:{node}:{pid}:{pstart}:{starttime}:{type}:{id}:{user}:` (hex fields), pve-common PVE::Tools::upid_encode;
// - `digest` is the SHA-1 of the config file; a change sent with another digest is refused with
//   "detected modified configuration - file changed by other user? Try again." (PVE::Tools::assert_if_modified).
// Guesses, written as such: the exact task log lines and failure texts other than those quoted above;
// how long tasks take (here `taskMs`, default 150 ms); `/cluster/nextid` answering the id as a string (seen in pvesh output).

export interface LabTask {
  upid: string;
  node: string;
  type: string;
  id: string;
  user: string;
  startTime: number;
  status: "running" | "stopped";
  exitstatus?: string;
  log: string[];
  /** Applied to the world when the task ends well. */
  finish: () => string | null;
}

export interface LabWriteState {
  tasks: Map<string, LabTask>;
  /** Every write request (method + path) the lab answered, for tests proving a dry run sent nothing. */
  writes: Array<{ method: string; path: string; params: Record<string, string> }>;
  /** When set, tasks stay running until released (a test's "the call is sent, the task has not finished"). */
  isHolding: boolean;
  /** The next task started fails with this text (Proxmox's words). */
  failNext: string | null;
  taskMs: number;
  pid: number;
  /**
   * Runs once right after the next config change is applied: a test's "another admin (or a hookscript)
   * changed the guest between our write and our read". Not a Proxmox behaviour of its own.
   */
  afterNextConfigWrite: ((guest: LabGuest) => void) | null;
  /** Requests refused for a `Transfer-Encoding` body (pve-http-server's 501). */
  refusedChunked: number;
}

export function createLabWriteState(taskMs = 150): LabWriteState {
  return { tasks: new Map(), writes: [], isHolding: false, failNext: null, taskMs, pid: 0x1000, refusedChunked: 0, afterNextConfigWrite: null };
}

export function computeConfigDigest(g: LabGuest): string {
  const text = Object.entries(g.config)
    .filter(([k]) => k !== "digest")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
  return createHash("sha1").update(text).digest("hex");
}

type Answer = { status: number; body: unknown };
const ok = (data: unknown): Answer => ({ status: 200, body: { data } });
const fail = (status: number, message: string): Answer => ({ status, body: { data: null, message: `${message}\n` } });

const hex = (n: number, width = 8) => n.toString(16).toUpperCase().padStart(width, "0");

/** Starts a task: it runs for `taskMs` (or until released), then applies `finish` (an error text fails it). */
function startTask(state: LabWriteState, node: string, type: string, id: string, user: string, finish: () => string | null, firstLog: string): LabTask {
  const startTime = Math.floor(Date.now() / 1000);
  state.pid += 1;
  const upid = `UPID:${node}:${hex(state.pid)}:${hex(state.pid * 7)}:${hex(startTime)}:${type}:${id}:${user}:`;
  const task: LabTask = { upid, node, type, id, user, startTime, status: "running", log: [firstLog], finish };
  const failure = state.failNext;
  state.failNext = null;
  state.tasks.set(upid, task);
  const end = () => {
    if (state.isHolding) return void setTimeout(end, 20);
    const err = failure ?? task.finish();
    if (err) {
      task.log.push(err, `TASK ERROR: ${err}`);
      task.exitstatus = err;
    } else {
      task.log.push("TASK OK");
      task.exitstatus = "OK";
    }
    task.status = "stopped";
  };
  setTimeout(end, state.taskMs);
  return task;
}

export function releaseLabTasks(state: LabWriteState): void {
  state.isHolding = false;
}

const GIB = 2 ** 30;

function parseSize(v: string): number | null {
  const m = /size=(\d+(?:\.\d+)?)([KMGT])?/.exec(v);
  if (!m) return null;
  return Number(m[1]) * { K: 1 / 2 ** 20, M: 1 / 1024, G: 1, T: 1024 }[(m[2] ?? "G") as "G"];
}

/**
 * Answers a write (or a task read) or returns null when the path is not one of these.
 * `user` is the token's user (`sankofa@pve!prov`) the UPID carries.
 */
export function handleLabWrite(
  world: LabProxmoxWorld,
  state: LabWriteState,
  method: string,
  parts: string[],
  query: URLSearchParams,
  params: Record<string, string>,
  user: string,
): Answer | null {
  const path = parts.join("/");
  if (method === "GET" && path === "cluster/nextid") {
    const taken = new Set(world.guests.map((g) => g.vmid));
    const asked = query.get("vmid");
    if (asked) return taken.has(Number(asked)) ? fail(400, `VM ${asked} already exists`) : ok(asked);
    let id = 100;
    while (taken.has(id)) id++;
    return ok(String(id));
  }
  if (parts[0] !== "nodes" || !parts[1]) return null;
  const node = parts[1];
  const n = world.nodes.find((x) => x.node === node);

  if (method === "GET" && parts[2] === "tasks" && parts[3]) {
    const task = state.tasks.get(decodeURIComponent(parts[3]));
    if (!task || task.node !== node) return fail(500, `no such task`);
    if (parts[4] === "status") {
      return ok({
        upid: task.upid,
        node,
        pid: 0,
        starttime: task.startTime,
        type: task.type,
        id: task.id,
        user: task.user,
        status: task.status,
        ...(task.exitstatus ? { exitstatus: task.exitstatus } : {}),
      });
    }
    if (parts[4] === "log") {
      const start = Number(query.get("start") ?? 0);
      const limit = Number(query.get("limit") ?? 50);
      return { status: 200, body: { data: task.log.slice(start, start + limit).map((t, i) => ({ n: start + i + 1, t })), total: task.log.length } };
    }
    return null;
  }
  if (method === "GET" && parts[2] === "storage" && parts[3] && parts[4] === "content") {
    const s = n?.storage?.find((x) => x.storage === parts[3]);
    if (!s) return fail(500, `storage '${parts[3]}' does not exist`);
    const wanted = query.get("content");
    const vols = [
      ...(s.templates ?? []).map((volid) => ({ volid, content: "vztmpl", format: volid.split(".").slice(-2).join("."), size: 120 * 2 ** 20 })),
      ...listLabStorageVolumes(world, node, s.storage),
    ];
    return ok(wanted ? vols.filter((v) => v.content === wanted) : vols);
  }

  if (method === "POST" && parts[2] === "lxc" && parts.length === 3) {
    state.writes.push({ method, path: `/${path}`, params });
    if (!n) return fail(500, `hostname lookup '${node}' failed - failed to get address info`);
    const vmid = Number(params.vmid);
    if (!Number.isInteger(vmid) || vmid < 100) return fail(400, `Parameter verification failed.\nvmid: value must be at least 100`);
    const other = world.guests.find((g) => g.vmid === vmid);
    if (other) return fail(500, `unable to create CT ${vmid} - CT ${vmid} already exists on node '${other.node}'`);
    const [storageId, sizeText] = (params.rootfs ?? "").split(":");
    const storage = n.storage?.find((s) => s.storage === storageId);
    const template = params.ostemplate ?? "";
    const hasTemplate = n.storage?.some((s) => (s.templates ?? []).includes(template));
    if (!hasTemplate) return fail(500, `unable to create CT ${vmid} - volume '${template}' does not exist`);
    const hwaddr = `BC:24:11:${hex(Math.floor(vmid / 65536) % 256, 2)}:${hex(Math.floor(vmid / 256) % 256, 2)}:${hex(vmid % 256, 2)}`;
    const net0 = params.net0 ? params.net0.replace(/^name=([^,]+)/, `name=$1,hwaddr=${hwaddr}`) : undefined;
    // The guest exists (locked) while it is being created, as on Proxmox.
    const guest: LabGuest = {
      vmid,
      name: params.hostname ?? `CT${vmid}`,
      node,
      type: "lxc",
      status: "stopped",
      config: {
        arch: "amd64",
        ostype: "debian",
        hostname: params.hostname ?? `CT${vmid}`,
        cores: Number(params.cores ?? 1),
        memory: Number(params.memory ?? 512),
        rootfs: `${storageId}:vm-${vmid}-disk-0,size=${sizeText}G`,
        ...(net0 ? { net0 } : {}),
        unprivileged: Number(params.unprivileged ?? 0),
        lock: "create",
      },
    };
    world.guests.push(guest);
    const task = startTask(
      state,
      node,
      "vzcreate",
      String(vmid),
      user,
      () => {
        const need = Number(sizeText) * GIB;
        if (!storage || storage.total - storage.used < need) {
          world.guests.splice(world.guests.indexOf(guest), 1);
          return `unable to create CT ${vmid} - no space left on storage '${storageId}'`;
        }
        storage.used += need;
        delete guest.config.lock;
        if (params.start === "1") setRunning(guest);
        return null;
      },
      `extracting archive '${template}'`,
    );
    return ok(task.upid);
  }

  const type = parts[2];
  if ((type !== "qemu" && type !== "lxc") || !parts[3]) return null;
  const vmid = Number(parts[3]);
  const guest = world.guests.find((g) => g.node === node && g.type === type && g.vmid === vmid);
  const tail = parts.slice(4).join("/");
  const kind = type === "qemu" ? "VM" : "CT";

  if (method === "GET" && tail === "status/current") {
    if (!guest) return fail(500, `Configuration file 'nodes/${node}/${type}/${vmid}.conf' does not exist`);
    return ok({ vmid, name: guest.name, status: guest.status ?? "running", ...(guest.config.lock ? { lock: guest.config.lock } : {}) });
  }
  if (method === "GET") return null;

  state.writes.push({ method, path: `/${path}`, params });
  if (!guest) return fail(500, `Configuration file 'nodes/${node}/${type}/${vmid}.conf' does not exist`);
  if (guest.config.lock) return fail(500, `${kind} is locked (${guest.config.lock})`);
  const isDigestStale = params.digest !== undefined && params.digest !== computeConfigDigest(guest);
  const stale = () => fail(500, "detected modified configuration - file changed by other user? Try again.");

  const power = /^status\/(start|stop|shutdown|reboot)$/.exec(tail);
  if (method === "POST" && power) {
    const action = power[1]!;
    const taskType = `${type === "qemu" ? "qm" : "vz"}${action}`;
    const task = startTask(
      state,
      node,
      taskType,
      String(vmid),
      user,
      () => {
        const status = guest.status ?? "running";
        if (action === "start") {
          if (status === "running") return `${kind} ${vmid} already running`;
          setRunning(guest);
        } else if (status !== "running") return `${kind} ${vmid} not running`;
        else if (action === "stop") guest.status = "stopped";
        else if (action === "shutdown") {
          if (guest.isHungOnShutdown) {
            if (params.forceStop !== "1") return `${kind} quit/powerdown failed`;
            task.log.push(`${kind} quit/powerdown failed - terminating now with SIGTERM`);
          }
          guest.status = "stopped";
        }
        return null;
      },
      `${action} ${kind} ${vmid}`,
    );
    return ok(task.upid);
  }

  if (method === "PUT" && tail === "resize") {
    if (isDigestStale) return stale();
    const disk = params.disk ?? "";
    const value = guest.config[disk];
    if (typeof value !== "string") return fail(500, `disk '${disk}' does not exist`);
    const m = /^\+(\d+)G$/.exec(params.size ?? "");
    if (!m) return fail(500, `shrinking disks is not supported`);
    const grow = Number(m[1]);
    const storageId = value.split(":")[0];
    const task = startTask(
      state,
      node,
      "resize",
      String(vmid),
      user,
      () => {
        const storage = n?.storage?.find((s) => s.storage === storageId);
        if (!storage || storage.total - storage.used < grow * GIB) return `Insufficient free space on storage '${storageId}'`;
        storage.used += grow * GIB;
        const size = parseSize(value) ?? 0;
        guest.config[disk] = value.replace(/size=[^,]+/, `size=${size + grow}G`);
        return null;
      },
      `resize ${disk} by +${grow}G`,
    );
    return ok(task.upid);
  }

  if (method === "PUT" && tail === "cloudinit" && type === "qemu") {
    // Regenerates the cloud-init drive from the config; answers null (API viewer: PUT /nodes/{node}/qemu/{vmid}/cloudinit).
    return ok(null);
  }
  if (method === "PUT" && tail === "config") {
    if (isDigestStale) return stale();
    for (const [k, v] of Object.entries(params)) if (k !== "digest") guest.config[k] = v;
    if (guest.type === "lxc" && guest.status === "running") setRunning(guest);
    const after = state.afterNextConfigWrite;
    state.afterNextConfigWrite = null;
    after?.(guest);
    // PUT …/config changes the config at once and answers null (no task), per the API viewer.
    return ok(null);
  }
  return fail(501, `Method '${method} /${path}' not implemented`);
}

/** A running container shows its net0 address on its interfaces, as /lxc/{vmid}/interfaces does. */
function setRunning(g: LabGuest): void {
  g.status = "running";
  if (g.type !== "lxc" || typeof g.config.net0 !== "string") return;
  const kv = Object.fromEntries(g.config.net0.split(",").map((p) => p.split("=") as [string, string]));
  const ip = kv.ip && kv.ip !== "dhcp" ? kv.ip.split("/")[0]! : undefined;
  g.interfaces = [{ name: kv.name ?? "eth0", mac: (kv.hwaddr ?? "").toLowerCase(), ips: ip ? [ip] : [] }];
}
