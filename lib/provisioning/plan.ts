import { parseDiskValue, findNetTag, parseNetValue, setNetKeys } from "./guest-config";
import { findJobKind, findTarget, type GuestType, type JobKind, type ProvisioningRequest } from "./jobs";
import { findApprovalReasons, isVmidInRanges, type AllowlistRule, type ProvisioningPolicy } from "./policy";

// The planner: a request plus the facts read from Proxmox and IPAM → the exact Proxmox calls
// (method, path, parameters) and the guard checks with their results. Pure: the dry run is this.
// Endpoints: https://pve.proxmox.com/pve-docs/api-viewer/ and ../shared/reference/proxmox-api.md.

export interface GuestFacts {
  node: string;
  type: GuestType;
  vmid: number;
  status: "running" | "stopped";
  /** GET …/config as Proxmox answers it, `digest` (SHA-1 of the config file) included. */
  config: Record<string, string | number>;
}

export interface StorageFacts {
  storage: string;
  /** Proxmox's content list: `images,rootdir`, `vztmpl,iso,backup`… */
  content: string;
  /** Bytes free. */
  avail: number;
  isActive: boolean;
}

/** The address an assign/create job sets: in a dry run the prefix's next free one now, at run time the claimed one. */
export interface AddressFacts {
  prefix: string;
  ip: string;
  prefixLength: number;
  gateway: string | null;
  vlanVid: number | null;
  isClaimed: boolean;
}

export interface PlanFacts {
  policy: ProvisioningPolicy;
  nodes: ReadonlyArray<{ node: string; status: string }>;
  /** The target guest (null: it does not exist); unused by create. */
  guest: GuestFacts | null;
  /** Storages of the target node. */
  storages: readonly StorageFacts[];
  /** vztmpl volumes on the node (create). */
  templates: readonly string[];
  /** Create: the VMID the cluster gives (or confirms free); null when taken. */
  vmid: number | null;
  /** Assign/create: null when the prefix has no free address. */
  address: AddressFacts | null;
  /** Assign/create: the prefix asked for (CIDR and VLAN), known even when it is full. */
  prefix?: { prefix: string; vlanVid: number | null } | null;
}

export interface PlannedCall {
  method: "POST" | "PUT";
  path: string;
  params: Record<string, string | number>;
  /** Proxmox answers a task id (UPID) to follow; otherwise the change is done when it answers. */
  isTask: boolean;
  /**
   * What the guest shows once the call took effect: a run interrupted between sending and recording
   * the answer looks for it before sending again (null: it cannot be told, so it is never re-sent).
   */
  effect: CallEffect | null;
}

export type CallEffect =
  | { kind: "status"; status: "running" | "stopped" }
  | { kind: "config"; key: string; value: string }
  | { kind: "disk-size"; disk: string; atLeastGiB: number }
  | { kind: "exists" }
  /** Safe to send again (regenerating the cloud-init drive): a resumed run just sends it. */
  | { kind: "repeatable" };

export type CheckRule =
  | AllowlistRule
  | "node.online"
  | "guest.exists"
  | "power.state"
  | "disk.exists"
  | "storage.capacity"
  | "ipam.free"
  | "network.vlan"
  | "template.exists"
  | "storage.content"
  | "vmid.free";

export interface GuardCheck {
  rule: CheckRule;
  isPassed: boolean;
  detail: string;
}

export interface ProvisioningPlan {
  kind: JobKind;
  node: string;
  guestType: GuestType;
  vmid: number | null;
  summary: string;
  calls: PlannedCall[];
  checks: GuardCheck[];
  /** The first failed check: the plan may not run, and this rule says why. */
  refusal: GuardCheck | null;
  approvalReasons: string[];
  /** The guest config's digest the plan was made from (null for a create). */
  configDigest: string | null;
  address: AddressFacts | null;
}

const GIB = 2 ** 30;

export function planProvisioning(request: ProvisioningRequest, facts: PlanFacts): ProvisioningPlan {
  const kind = findJobKind(request);
  const target = findTarget(request);
  const vmid = request.type === "create_ct" ? facts.vmid : target.vmid;
  const checks: GuardCheck[] = [];
  const check = (rule: CheckRule, isPassed: boolean, detail: string) => checks.push({ rule, isPassed, detail });
  const { policy } = facts;

  check(
    "allowlist.jobTypes",
    policy.jobKinds.includes(kind),
    policy.jobKinds.includes(kind) ? `${kind} is allowed` : `${kind} is not in the job type allowlist (${list(policy.jobKinds)})`,
  );
  const isNodeAllowed = policy.nodes.includes(target.node);
  check(
    "allowlist.nodes",
    isNodeAllowed,
    isNodeAllowed ? `node ${target.node} is allowed` : `node ${target.node} is not in the node allowlist (${list(policy.nodes)})`,
  );
  const node = facts.nodes.find((n) => n.node === target.node);
  check("node.online", node?.status === "online", node ? `node ${target.node} is ${node.status}` : `node ${target.node} is not in the cluster`);
  if (vmid === null)
    check("vmid.free", false, request.type === "create_ct" && request.vmid ? `VMID ${request.vmid} is taken` : "the cluster gave no free VMID");
  else {
    const isVmidAllowed = isVmidInRanges(policy.vmidRanges, vmid);
    check(
      "allowlist.vmids",
      isVmidAllowed,
      isVmidAllowed
        ? `VMID ${vmid} is in an allowed range`
        : `VMID ${vmid} is outside the VMID allowlist (${list(policy.vmidRanges.map((r) => `${r.from}-${r.to}`))})`,
    );
  }

  const guest = facts.guest;
  const guestPath = `/nodes/${target.node}/${target.guestType}/${vmid}`;
  const calls: PlannedCall[] = [];
  let summary = "";

  if (request.type !== "create_ct") {
    check(
      "guest.exists",
      guest !== null,
      guest ? `${target.guestType} ${vmid} on ${target.node} is ${guest.status}` : `${target.guestType} ${vmid} does not exist on ${target.node}`,
    );
  }
  const digest = guest ? String(guest.config.digest ?? "") || null : null;

  if (request.type === "power") {
    const status = guest?.status;
    const isUseful = request.action === "start" ? status === "stopped" : status === "running";
    if (guest)
      check(
        "power.state",
        isUseful,
        isUseful ? `the guest is ${status}: ${request.action} changes it` : `the guest is already ${status}: nothing to ${request.action}`,
      );
    const params: Record<string, string | number> = {};
    if (request.action === "shutdown") {
      params.timeout = request.timeoutSeconds ?? 60;
      params.forceStop = request.isForceStopAfterTimeout ? 1 : 0;
    }
    const effect: CallEffect | null = request.action === "reboot" ? null : { kind: "status", status: request.action === "start" ? "running" : "stopped" };
    calls.push({ method: "POST", path: `${guestPath}/status/${request.action}`, params, isTask: true, effect });
    summary = `${request.action} ${target.guestType} ${vmid} on ${target.node}`;
  }

  if (request.type === "resize_disk") {
    const value = guest?.config[request.disk];
    const disk = typeof value === "string" ? parseDiskValue(value) : null;
    if (guest)
      check("disk.exists", disk !== null, disk ? `${request.disk} is ${disk.sizeGiB ?? "?"} GiB on ${disk.storage}` : `the guest has no disk ${request.disk}`);
    if (disk) {
      checkStorageAllowed(check, policy, disk.storage);
      const storage = facts.storages.find((s) => s.storage === disk.storage);
      const isRoom = storage !== undefined && storage.isActive && storage.avail >= request.growGiB * GIB;
      check(
        "storage.capacity",
        isRoom,
        storage
          ? `${disk.storage} has ${formatGiB(storage.avail)} free, the resize needs ${request.growGiB} GiB`
          : `storage ${disk.storage} is not on node ${target.node}`,
      );
    }
    // `+N` grows by N; Proxmox refuses to shrink. `digest` makes Proxmox refuse if the config changed since the plan.
    const effect: CallEffect | null = disk?.sizeGiB ? { kind: "disk-size", disk: request.disk, atLeastGiB: disk.sizeGiB + request.growGiB } : null;
    calls.push({
      method: "PUT",
      path: `${guestPath}/resize`,
      params: { disk: request.disk, size: `+${request.growGiB}G`, ...(digest ? { digest } : {}) },
      isTask: true,
      effect,
    });
    summary = `grow ${request.disk} of ${target.guestType} ${vmid} by ${request.growGiB} GiB`;
  }

  if (request.type === "assign_ip") {
    const a = facts.address;
    const net0 = typeof guest?.config.net0 === "string" ? guest.config.net0 : null;
    const bridge = net0 ? parseNetValue(net0).find(([k]) => k === "bridge")?.[1] : undefined;
    if (bridge !== undefined) checkBridgeAllowed(check, policy, bridge);
    checkNetworkAllowed(check, policy, facts.prefix ?? a);
    checkAddressFree(check, a);
    if (a && guest) {
      if (target.guestType === "qemu") {
        // A QEMU guest's VLAN is its NIC's tag; cloud-init only sets the address, so the two must already agree.
        const tag = net0 ? findNetTag(net0) : undefined;
        const isSame = (tag ?? null) === a.vlanVid;
        check(
          "network.vlan",
          net0 !== null && isSame,
          net0 === null
            ? "the guest has no net0"
            : isSame
              ? `net0 is on ${a.vlanVid === null ? "no tag" : `VLAN ${a.vlanVid}`} like the prefix`
              : `net0 is ${tag === undefined ? "untagged" : `on VLAN ${tag}`}, the prefix on ${a.vlanVid === null ? "no VLAN" : `VLAN ${a.vlanVid}`}`,
        );
        const ipconfig0 = `ip=${a.ip}/${a.prefixLength}${a.gateway ? `,gw=${a.gateway}` : ""}`;
        calls.push({
          method: "PUT",
          path: `${guestPath}/config`,
          params: { ipconfig0, ...(digest ? { digest } : {}) },
          isTask: false,
          effect: { kind: "config", key: "ipconfig0", value: ipconfig0 },
        });
        // Cloud-init reads ipconfig0 from its drive: regenerate it now, or the address only applies after
        // the drive is rebuilt (reference: "then PUT …/cloudinit to regenerate"). Harmless to repeat.
        calls.push({ method: "PUT", path: `${guestPath}/cloudinit`, params: {}, isTask: false, effect: { kind: "repeatable" } });
      } else {
        check("network.vlan", net0 !== null, net0 ? `net0 gets ${a.vlanVid === null ? "no tag" : `tag ${a.vlanVid}`}` : "the container has no net0");
        if (net0) {
          const next = setNetKeys(net0, { ip: `${a.ip}/${a.prefixLength}`, gw: a.gateway, tag: a.vlanVid === null ? null : String(a.vlanVid) });
          calls.push({
            method: "PUT",
            path: `${guestPath}/config`,
            params: { net0: next, ...(digest ? { digest } : {}) },
            isTask: false,
            effect: { kind: "config", key: "net0", value: next },
          });
        }
      }
    }
    summary = `assign ${a?.ip ?? "an address"} (${a?.prefix ?? "prefix"}) to ${target.guestType} ${vmid}`;
  }

  if (request.type === "create_ct") {
    const hasTemplate = facts.templates.includes(request.template);
    check("template.exists", hasTemplate, hasTemplate ? `${request.template} is on ${target.node}` : `template ${request.template} is not on ${target.node}`);
    checkStorageAllowed(check, policy, request.storage);
    const storage = facts.storages.find((s) => s.storage === request.storage);
    const isRootdir = storage?.content.split(",").includes("rootdir") ?? false;
    check(
      "storage.content",
      isRootdir,
      storage
        ? isRootdir
          ? `${request.storage} holds container disks`
          : `${request.storage} does not hold container disks (content ${storage.content})`
        : `storage ${request.storage} is not on ${target.node}`,
    );
    const isRoom = storage !== undefined && storage.isActive && storage.avail >= request.diskGiB * GIB;
    if (storage) check("storage.capacity", isRoom, `${request.storage} has ${formatGiB(storage.avail)} free, the container needs ${request.diskGiB} GiB`);
    const a = facts.address;
    checkBridgeAllowed(check, policy, request.bridge);
    checkNetworkAllowed(check, policy, facts.prefix ?? a);
    checkAddressFree(check, a);
    const net0 = a
      ? `name=eth0,bridge=${request.bridge},ip=${a.ip}/${a.prefixLength}${a.gateway ? `,gw=${a.gateway}` : ""}${a.vlanVid !== null ? `,tag=${a.vlanVid}` : ""}`
      : `name=eth0,bridge=${request.bridge}`;
    calls.push({
      method: "POST",
      path: `/nodes/${target.node}/lxc`,
      params: {
        vmid: vmid ?? 0,
        ostemplate: request.template,
        hostname: request.hostname,
        storage: request.storage,
        rootfs: `${request.storage}:${request.diskGiB}`,
        cores: request.cores,
        memory: request.memoryMiB,
        unprivileged: 1,
        net0,
        start: request.isStartAfterCreate ? 1 : 0,
      },
      isTask: true,
      effect: { kind: "exists" },
    });
    summary = `create container ${request.hostname} (VMID ${vmid ?? "?"}) on ${target.node} with ${a?.ip ?? "no address"}`;
  }

  return {
    kind,
    node: target.node,
    guestType: target.guestType,
    vmid,
    summary,
    calls,
    checks,
    refusal: checks.find((c) => !c.isPassed) ?? null,
    approvalReasons: findApprovalReasons(policy, { kind, node: target.node, vmid, isGuestRunning: guest?.status === "running" }),
    configDigest: digest,
    address: facts.address,
  };
}

type RecordCheck = (rule: CheckRule, isPassed: boolean, detail: string) => void;

function checkAddressFree(check: RecordCheck, a: AddressFacts | null) {
  check("ipam.free", a !== null, a ? `${a.ip} is ${a.isClaimed ? "claimed" : "the next free address"} of ${a.prefix}` : "the prefix has no free address left");
}

function checkStorageAllowed(check: RecordCheck, policy: ProvisioningPolicy, storage: string) {
  const isAllowed = policy.storages.includes(storage);
  check(
    "allowlist.storages",
    isAllowed,
    isAllowed ? `storage ${storage} is allowed` : `storage ${storage} is not in the storage allowlist (${list(policy.storages)})`,
  );
}

function checkBridgeAllowed(check: RecordCheck, policy: ProvisioningPolicy, bridge: string) {
  const isAllowed = policy.bridges.includes(bridge);
  check(
    "allowlist.bridges",
    isAllowed,
    isAllowed ? `bridge ${bridge} is allowed` : `bridge ${bridge} is not in the bridge allowlist (${list(policy.bridges)})`,
  );
}

/** The prefix an address comes from, and its VLAN, must both be allowlisted. */
function checkNetworkAllowed(check: RecordCheck, policy: ProvisioningPolicy, p: { prefix: string; vlanVid: number | null } | null) {
  if (!p) return;
  const isPrefixAllowed = policy.prefixes.includes(p.prefix);
  check(
    "allowlist.prefixes",
    isPrefixAllowed,
    isPrefixAllowed ? `prefix ${p.prefix} is allowed` : `prefix ${p.prefix} is not in the prefix allowlist (${list(policy.prefixes)})`,
  );
  const vid = p.vlanVid ?? 0;
  const name = vid === 0 ? "untagged" : `VLAN ${vid}`;
  const isVlanAllowed = policy.vlans.includes(vid);
  check(
    "allowlist.vlans",
    isVlanAllowed,
    isVlanAllowed ? `${name} is allowed` : `${name} is not in the VLAN allowlist (${list(policy.vlans.map((v) => (v === 0 ? "untagged" : String(v))))})`,
  );
}

const list = (items: readonly string[]) => (items.length ? items.join(", ") : "empty: nothing may be touched");
const formatGiB = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;
