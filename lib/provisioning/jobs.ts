import { z } from "zod";

// What an admin can ask of Proxmox from the console (issue 14). Each request names its target
// exactly (node, guest type, VMID); the planner turns it into the Proxmox calls.

export const GUEST_TYPES = ["qemu", "lxc"] as const;
export type GuestType = (typeof GUEST_TYPES)[number];

export const POWER_ACTIONS = ["start", "shutdown", "stop", "reboot"] as const;
export type PowerAction = (typeof POWER_ACTIONS)[number];

/** The job kinds the allowlist of job types names (a power job is named by its action). */
export const JOB_KINDS = ["power_start", "power_shutdown", "power_stop", "power_reboot", "resize_disk", "assign_ip", "create_ct"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

const node = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}$/, "a Proxmox node name");
// Proxmox VMIDs: 100 up to 999999999 (pve-guest-common's vmid format).
const vmid = z.number().int().min(100).max(999_999_999);

const powerRequest = z
  .object({
    type: z.literal("power"),
    node,
    guestType: z.enum(GUEST_TYPES),
    vmid,
    action: z.enum(POWER_ACTIONS),
    /** Shutdown: seconds to wait for the guest to stop cleanly. */
    timeoutSeconds: z.number().int().min(1).max(3600).optional(),
    /** Shutdown: stop it hard when the timeout passes (Proxmox's `forceStop`). */
    isForceStopAfterTimeout: z.boolean().optional(),
  })
  .strict();

const resizeRequest = z
  .object({
    type: z.literal("resize_disk"),
    node,
    guestType: z.enum(GUEST_TYPES),
    vmid,
    /** `scsi0`, `virtio1`, `rootfs`, `mp0`… */
    disk: z.string().regex(/^(rootfs|mp\d{1,3}|(ide|sata|scsi|virtio)\d{1,2}|efidisk0|tpmstate0)$/, "a disk key such as scsi0 or rootfs"),
    /** Grow only (Proxmox cannot shrink): GiB added to the disk. */
    growGiB: z.number().int().min(1).max(65_536),
  })
  .strict();

const assignIpRequest = z
  .object({
    type: z.literal("assign_ip"),
    node,
    guestType: z.enum(GUEST_TYPES),
    vmid,
    /** The IPAM prefix the next free address is claimed from. */
    prefixId: z.number().int().positive(),
  })
  .strict();

const createCtRequest = z
  .object({
    type: z.literal("create_ct"),
    node,
    /** A vztmpl volume, e.g. `local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst`. */
    template: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*:vztmpl\/[a-zA-Z0-9_.+-]+\.tar\.(gz|xz|zst)$/, "a vztmpl volume (storage:vztmpl/name.tar.zst)"),
    storage: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.-]{0,63}$/, "a storage id"),
    hostname: z.string().regex(/^(?=.{1,63}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "a DNS label (lower case letters, digits, hyphens)"),
    cores: z.number().int().min(1).max(128),
    memoryMiB: z.number().int().min(64).max(1_048_576),
    diskGiB: z.number().int().min(1).max(65_536),
    bridge: z.string().regex(/^vmbr\d{1,4}$/, "a bridge such as vmbr0"),
    prefixId: z.number().int().positive(),
    /** A VMID asked for; unset, the cluster's next free one. */
    vmid: vmid.optional(),
    isStartAfterCreate: z.boolean(),
  })
  .strict();

export const provisioningRequestSchema = z.discriminatedUnion("type", [powerRequest, resizeRequest, assignIpRequest, createCtRequest]);
export type ProvisioningRequest = z.infer<typeof provisioningRequestSchema>;
export type PowerRequest = z.infer<typeof powerRequest>;
export type ResizeRequest = z.infer<typeof resizeRequest>;
export type AssignIpRequest = z.infer<typeof assignIpRequest>;
export type CreateCtRequest = z.infer<typeof createCtRequest>;

export function findJobKind(r: ProvisioningRequest): JobKind {
  return r.type === "power" ? `power_${r.action}` : r.type;
}

/** The guest a request acts on; a create names its VMID only once the cluster gave one. */
export function findTarget(r: ProvisioningRequest): { node: string; guestType: GuestType; vmid: number | null } {
  if (r.type === "create_ct") return { node: r.node, guestType: "lxc", vmid: r.vmid ?? null };
  return { node: r.node, guestType: r.guestType, vmid: r.vmid };
}
