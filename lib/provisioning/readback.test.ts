import { describe, expect, it } from "vitest";
import type { PlannedCall } from "./plan";
import { findReadbackMismatches } from "./readback";

const config = (key: string, value: string): PlannedCall => ({
  method: "PUT",
  path: "/nodes/pve1/lxc/120/config",
  params: { [key]: value },
  isTask: false,
  effect: { kind: "config", key, value },
});

describe("reading the guest config back", () => {
  it("holds when Proxmox writes the planned pairs back in its own order, with defaults added", () => {
    const plan = { calls: [config("net0", "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:01:20,ip=10.0.20.2/24,gw=10.0.20.1,tag=20")] };
    const read = { net0: "name=eth0,bridge=vmbr0,gw=10.0.20.1,hwaddr=bc:24:11:00:01:20,ip=10.0.20.2/24,tag=20,type=veth" };
    expect(findReadbackMismatches(plan, read)).toEqual([]);
  });

  it("names what the config lacks: another address, a missing value, a disk that did not grow, a create that differs", () => {
    const plan = {
      calls: [
        config("ipconfig0", "ip=10.0.20.3/24,gw=10.0.20.1"),
        { ...config("x", "y"), effect: { kind: "disk-size" as const, disk: "scsi0", atLeastGiB: 34 } },
        {
          method: "POST" as const,
          path: "/nodes/pve1/lxc",
          params: { vmid: 150, hostname: "app-7", cores: 2, memory: 1024, rootfs: "local-lvm:8", net0: "name=eth0,bridge=vmbr0,ip=10.0.20.4/24" },
          isTask: true,
          effect: { kind: "exists" as const },
        },
      ],
    };
    const read = {
      ipconfig0: "ip=10.0.20.9/24,gw=10.0.20.1",
      scsi0: "local-lvm:vm-130-disk-0,size=32G",
      hostname: "app-7",
      cores: 2,
      memory: 512,
      rootfs: "local-lvm:vm-150-disk-0,size=8G",
      net0: "name=eth0,bridge=vmbr0,ip=dhcp",
    };
    expect(findReadbackMismatches(plan, read)).toEqual([
      'ipconfig0 reads "ip=10.0.20.9/24,gw=10.0.20.1", without the planned ip=10.0.20.3/24',
      'scsi0 reads "local-lvm:vm-130-disk-0,size=32G", not the planned 34 GiB or more',
      "memory reads 512, not the planned 1024",
      'net0 reads "name=eth0,bridge=vmbr0,ip=dhcp", without the planned ip=10.0.20.4/24',
    ]);
    expect(findReadbackMismatches({ calls: [config("net0", "ip=10.0.20.2/24")] }, {})).toEqual(["net0 reads nothing, without the planned ip=10.0.20.2/24"]);
  });
});
