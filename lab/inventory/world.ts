import type { LabGuest, LabProxmoxWorld } from "../proxmox";

// The lab's Proxmox cluster for issue 5: five nodes on the flat VLAN 11 (192.168.11.0/24), about
// forty guests, consistent with ip-addresses.conf and ALL_VMIDS_ENDPOINTS.md beside this file
// except for the drift below, which tests and the demo rely on:
// - 9001 besu-rpc-2-clone: a clone only on the cluster that kept 192.168.11.212 (duplicate with 2102);
// - 7810 grafana: documented, but its 192.168.11.180 is missing from ip-addresses.conf;
// - LEGACY_DNS=192.168.11.53: declared, no guest holds it;
// - 10234 npm-secondary: the doc says .168, the guest has .169 (VMID/IP mismatch);
// - 6200 old-monitoring: only in the doc.

const GiB = 2 ** 30;
const TiB = 2 ** 40;
const NET = "192.168.11";

type Spec = [
  vmid: number,
  name: string,
  node: string,
  type: "qemu" | "lxc",
  host: number | "dhcp",
  opts?: {
    agentIp?: number;
    hasAgent?: boolean;
    isStopped?: boolean;
    cpus?: number;
    memGiB?: number;
    /** The root disk on local-lvm (`scsi0` / `rootfs`); 32 GiB for a VM, 8 GiB for a container by default. */
    diskGiB?: number;
    /** A second disk (`scsi1` / `mp0`) on this storage. */
    dataDisk?: [storage: string, gib: number];
  },
];

// host: last octet of the static address, or "dhcp" (the agent then reports `agentIp`, if any).
const SPECS: Spec[] = [
  [1000, "besu-validator-1", "r630-01", "qemu", 100, { hasAgent: true, cpus: 8, memGiB: 32, diskGiB: 500 }],
  [1001, "besu-validator-2", "r630-02", "qemu", 101, { hasAgent: true, cpus: 8, memGiB: 32, diskGiB: 500 }],
  [1002, "besu-validator-3", "r630-03", "qemu", 102, { hasAgent: true, cpus: 8, memGiB: 32, diskGiB: 500 }],
  [1003, "besu-validator-4", "r630-03", "qemu", 103, { cpus: 8, memGiB: 32, diskGiB: 500 }],
  [1500, "besu-sentry-1", "r630-01", "lxc", 150, { hasAgent: true, cpus: 4, memGiB: 8, diskGiB: 200 }],
  [1501, "besu-sentry-2", "r630-02", "lxc", 151, { hasAgent: true, cpus: 4, memGiB: 8, diskGiB: 200 }],
  [1502, "besu-sentry-3", "r630-03", "lxc", 152, { hasAgent: true, cpus: 4, memGiB: 8, diskGiB: 200 }],
  [2101, "besu-rpc-1", "r630-01", "qemu", 211, { hasAgent: true, cpus: 8, memGiB: 16, diskGiB: 1000 }],
  [2102, "besu-rpc-2", "r630-02", "qemu", 212, { hasAgent: true, cpus: 8, memGiB: 16, diskGiB: 1000 }],
  [2103, "besu-rpc-3", "r630-03", "qemu", "dhcp", { agentIp: 213, cpus: 8, memGiB: 16, diskGiB: 1000 }],
  [2201, "besu-rpc-public-1", "r630-01", "lxc", 221, { cpus: 4, memGiB: 8, diskGiB: 100 }],
  [2202, "besu-rpc-public-2", "r630-02", "lxc", 222, { cpus: 4, memGiB: 8, diskGiB: 100 }],
  [5000, "blockscout", "ml110", "qemu", 140, { hasAgent: true, cpus: 4, memGiB: 16, diskGiB: 1536 }],
  [5001, "blockscout-db", "ml110", "lxc", 141, { cpus: 2, memGiB: 8, diskGiB: 500 }],
  [10233, "npm-primary", "r630-01", "qemu", 167, { hasAgent: true, cpus: 2, memGiB: 4 }],
  [10234, "npm-secondary", "r630-02", "qemu", 169, { cpus: 2, memGiB: 4 }],
  [7800, "sankofa-portal", "r630-02", "lxc", 170, { hasAgent: true, cpus: 4, memGiB: 8, diskGiB: 20 }],
  [7801, "sankofa-api", "r630-02", "lxc", 172, { cpus: 4, memGiB: 8, diskGiB: 20 }],
  [7802, "keycloak", "r630-02", "qemu", 171, { hasAgent: true, cpus: 2, memGiB: 4 }],
  [7803, "keycloak-db", "r630-03", "lxc", 173, { cpus: 2, memGiB: 4, diskGiB: 50 }],
  [7804, "sankofa-it", "r630-03", "lxc", 174, { cpus: 2, memGiB: 4 }],
  [7810, "grafana", "r630-03", "lxc", 180, { hasAgent: true, cpus: 2, memGiB: 4 }],
  [7811, "prometheus", "r630-03", "lxc", 181, { cpus: 4, memGiB: 16, dataDisk: ["ceph-vm", 500] }],
  [7812, "loki", "r630-03", "lxc", 182, { cpus: 2, memGiB: 8, diskGiB: 100 }],
  [7820, "vault-1", "r630-01", "qemu", 190, { hasAgent: true, cpus: 2, memGiB: 4 }],
  [7821, "vault-2", "r630-02", "qemu", 191, { cpus: 2, memGiB: 4 }],
  [8000, "gitea", "r630-01", "lxc", 120, { cpus: 2, memGiB: 4, diskGiB: 50 }],
  [8001, "ci-runner-1", "r630-01", "qemu", 121, { hasAgent: true, cpus: 8, memGiB: 16, diskGiB: 200 }],
  [8002, "ci-runner-2", "r630-03", "qemu", 122, { isStopped: true, cpus: 8, memGiB: 16, diskGiB: 200 }],
  [8100, "mail", "r630-02", "qemu", 125, { cpus: 2, memGiB: 8, dataDisk: ["ceph-vm", 500] }],
  [8200, "backup-pbs", "ml110", "qemu", 130, { hasAgent: true, cpus: 2, memGiB: 8, dataDisk: ["local-lvm", 2048] }],
  [8300, "dns-1", "r630-01", "lxc", 56, { cpus: 1, memGiB: 1 }],
  [8301, "dns-2", "r630-02", "lxc", 57, { cpus: 1, memGiB: 1 }],
  [8400, "unifi-controller", "ml110", "lxc", 20, { cpus: 2, memGiB: 4 }],
  [8500, "nextcloud", "r630-03", "qemu", 160, { hasAgent: true, cpus: 4, memGiB: 8, dataDisk: ["ceph-vm", 2048] }],
  [8501, "nextcloud-db", "r630-03", "lxc", 161, { cpus: 2, memGiB: 4, diskGiB: 50 }],
  [8600, "wireguard", "r630-01", "lxc", 30, { cpus: 1, memGiB: 1 }],
  [8700, "dev-sandbox", "r630-04", "qemu", "dhcp", { cpus: 4, memGiB: 8, diskGiB: 64 }],
  [8701, "build-cache", "r630-04", "lxc", 135, { cpus: 2, memGiB: 4, diskGiB: 200 }],
  [9000, "tmpl-debian-12", "r630-04", "qemu", "dhcp", { isStopped: true, cpus: 2, memGiB: 2 }],
  [9001, "besu-rpc-2-clone", "r630-04", "qemu", 212, { isStopped: false, cpus: 8, memGiB: 16, diskGiB: 1000 }],
];

const mac = (vmid: number, nic = 0) =>
  `BC:24:11:${String(nic).padStart(2, "0")}:${(vmid >> 8).toString(16).padStart(2, "0").toUpperCase()}:${(vmid & 255).toString(16).padStart(2, "0").toUpperCase()}`;

function buildGuest([vmid, name, node, type, host, opts = {}]: Spec): LabGuest {
  const ip = host === "dhcp" ? "dhcp" : `${NET}.${host}/24`;
  const config: Record<string, string | number> =
    type === "qemu"
      ? {
          net0: `virtio=${mac(vmid)},bridge=vmbr0,firewall=1`,
          ipconfig0: host === "dhcp" ? "ip=dhcp" : `ip=${ip},gw=${NET}.1`,
          cores: opts.cpus ?? 2,
          memory: (opts.memGiB ?? 2) * 1024,
          agent: opts.hasAgent || opts.agentIp ? 1 : 0,
          scsihw: "virtio-scsi-single",
          scsi0: `local-lvm:vm-${vmid}-disk-0,iothread=1,size=${opts.diskGiB ?? 32}G`,
          ide2: "none,media=cdrom",
          ...(opts.dataDisk ? { scsi1: `${opts.dataDisk[0]}:vm-${vmid}-disk-1,iothread=1,size=${opts.dataDisk[1]}G` } : {}),
        }
      : {
          net0: `name=eth0,bridge=vmbr0,hwaddr=${mac(vmid)},ip=${ip},gw=${NET}.1,ip6=manual,type=veth`,
          cores: opts.cpus ?? 1,
          memory: (opts.memGiB ?? 1) * 1024,
          rootfs: `local-lvm:subvol-${vmid}-disk-0,size=${opts.diskGiB ?? 8}G`,
          ...(opts.dataDisk ? { mp0: `${opts.dataDisk[0]}:subvol-${vmid}-disk-1,mp=/data,size=${opts.dataDisk[1]}G` } : {}),
        };
  const liveOctet = host === "dhcp" ? opts.agentIp : host;
  const answers = !opts.isStopped && (opts.hasAgent || opts.agentIp !== undefined);
  const guest: LabGuest = {
    vmid,
    name,
    node,
    type,
    status: opts.isStopped ? "stopped" : "running",
    maxcpu: opts.cpus ?? 2,
    maxmem: (opts.memGiB ?? 2) * GiB,
    config,
  };
  if (answers) {
    guest.interfaces = [
      { name: "lo", mac: "00:00:00:00:00:00", ips: ["127.0.0.1", "::1"] },
      {
        name: "eth0",
        mac: mac(vmid).toLowerCase(),
        ips: [...(liveOctet !== undefined ? [`${NET}.${liveOctet}`] : []), `fe80::be24:11ff:fe00:${vmid.toString(16)}`],
      },
    ];
  }
  return guest;
}

/** A fresh copy each call, so a test may change its world without touching another's. */
export function createLabInventoryWorld(): LabProxmoxWorld {
  const guests = SPECS.map(buildGuest);
  // The VPN gateway also sits on the planned VLAN 200 with a second NIC.
  const wg = guests.find((g) => g.vmid === 8600)!;
  wg.config.net1 = `name=eth1,bridge=vmbr0,hwaddr=${mac(8600, 1)},ip=10.200.0.1/24,tag=200,type=veth`;
  // ci-runner-1's old build disk, detached (`unused0`: no size in its config; the storage lists it).
  guests.find((g) => g.vmid === 8001)!.config.unused0 = "local-lvm:vm-8001-disk-1";
  const storage = (local: number, used: number, volumes: Array<{ volume: string; vmid: number; sizeGiB: number }> = []) => [
    // Container templates (vztmpl) for provisioning: what `pveam download local …` leaves on a node.
    { storage: "local", type: "dir", total: 100 * GiB, used: 22 * GiB, content: "iso,vztmpl,backup", templates: [...DEMO_CT_TEMPLATES] },
    // Whole bytes, as Proxmox reports them.
    { storage: "local-lvm", type: "lvmthin", total: local, used: Math.round(used), content: "images,rootdir", volumes },
    { storage: "nfs-backups", type: "nfs", total: 20 * TiB, used: 7 * TiB, shared: true, content: "backup" },
    // One Ceph pool every node sees (shared: the cluster's capacity counted once); guests' data disks live on it.
    { storage: "ceph-vm", type: "rbd", total: 12 * TiB, used: Math.round(1.8 * TiB), shared: true, content: "images,rootdir" },
  ];
  // Each node's CPU as /proc/cpuinfo names it; sockets × cores × 2 threads (Hyper-Threading) = maxcpu, the ml110's Bronze has no HT.
  const xeon = (model: string, cores: number) => ({ model: `Intel(R) Xeon(R) CPU ${model}`, sockets: 2, cores });
  return {
    nodes: [
      {
        node: "r630-01",
        maxcpu: 48,
        maxmem: 256 * GiB,
        maxdisk: 100 * GiB,
        cpu: 0.41,
        mem: 171 * GiB,
        disk: 31 * GiB,
        storage: storage(4 * TiB, 1.6 * TiB, [{ volume: "vm-8001-disk-1", vmid: 8001, sizeGiB: 100 }]),
        cpuInfo: xeon("E5-2650 v4 @ 2.20GHz", 24),
      },
      {
        node: "r630-02",
        maxcpu: 48,
        maxmem: 256 * GiB,
        maxdisk: 100 * GiB,
        cpu: 0.37,
        mem: 160 * GiB,
        disk: 29 * GiB,
        storage: storage(4 * TiB, 1.5 * TiB),
        cpuInfo: xeon("E5-2650 v4 @ 2.20GHz", 24),
      },
      {
        node: "r630-03",
        maxcpu: 56,
        maxmem: 384 * GiB,
        maxdisk: 100 * GiB,
        cpu: 0.33,
        mem: 198 * GiB,
        disk: 27 * GiB,
        storage: storage(8 * TiB, 2.1 * TiB),
        cpuInfo: xeon("E5-2680 v4 @ 2.40GHz", 28),
      },
      // Its thin pool is given out twice over (blockscout and the PBS datastore): the over-commit the hosts page shows.
      {
        node: "ml110",
        maxcpu: 8,
        maxmem: 64 * GiB,
        maxdisk: 100 * GiB,
        cpu: 0.62,
        mem: 49 * GiB,
        disk: 40 * GiB,
        storage: storage(2 * TiB, 1.5 * TiB),
        cpuInfo: { model: "Intel(R) Xeon(R) Bronze 3206R CPU @ 1.90GHz", sockets: 1, cores: 8 },
      },
      // Newest node, nearly empty: where new workloads should go.
      {
        node: "r630-04",
        maxcpu: 48,
        maxmem: 256 * GiB,
        maxdisk: 100 * GiB,
        cpu: 0.04,
        mem: 21 * GiB,
        disk: 12 * GiB,
        // old-monitoring (6200, only in the doc) was deleted but its disk was left behind: no config names it.
        storage: storage(4 * TiB, 0.2 * TiB, [{ volume: "vm-6200-disk-0", vmid: 6200, sizeGiB: 250 }]),
        cpuInfo: xeon("E5-2650 v4 @ 2.20GHz", 24),
      },
    ],
    guests,
  };
}

/** The container templates every lab node holds on `local`. */
export const DEMO_CT_TEMPLATES = ["local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst", "local:vztmpl/ubuntu-24.04-standard_24.04-2_amd64.tar.zst"] as const;
