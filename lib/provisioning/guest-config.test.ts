import { describe, expect, it } from "vitest";
import { parseDiskValue } from "./guest-config";

describe("a guest's disk value", () => {
  it("gives storage, volume and size in GiB, a bare size read as bytes", () => {
    expect(parseDiskValue("local-lvm:vm-100-disk-0,discard=on,size=32G")).toEqual({ storage: "local-lvm", volume: "vm-100-disk-0", sizeGiB: 32 });
    expect(parseDiskValue("local-lvm:vm-100-disk-0,size=2147483648")).toMatchObject({ sizeGiB: 2 });
    expect(parseDiskValue("local-lvm:vm-100-disk-1")).toMatchObject({ sizeGiB: null });
  });

  it("is null for what no storage holds: a CD-ROM, a device path", () => {
    expect(parseDiskValue("local:iso/debian.iso,media=cdrom")).toBeNull();
    expect(parseDiskValue("/dev/disk/by-id/ata-X,size=100G")).toBeNull();
  });
});
