import { describe, expect, it } from "vitest";
import { toDriftGuests } from "./live-guest";
import type { LiveInventoryData } from "./snapshot";

const data = (): LiveInventoryData => ({
  nodes: [],
  guests: [
    {
      vmid: 101,
      name: "web",
      node: "pve1",
      type: "qemu",
      status: "running",
      cpus: 1,
      mem_bytes: 1,
      nics: [],
      config_ips: ["10.0.0.5"],
      live_ips: ["10.0.0.6"],
    },
  ],
});

describe("toDriftGuests", () => {
  it("makes a frozen snapshot's guests once, frozen, so one reader cannot change the next one's", () => {
    const frozen = Object.freeze(data());
    const first = toDriftGuests(frozen);
    expect(first).toEqual([{ vmid: 101, name: "web", node: "pve1", type: "qemu", ips: ["10.0.0.5", "10.0.0.6"] }]);
    expect(toDriftGuests(frozen)).toBe(first);
    expect(() => (first[0]!.ips as string[]).push("10.9.9.9")).toThrow(TypeError);
  });

  it("reads a snapshot that can still change afresh each time", () => {
    const open = data();
    const first = toDriftGuests(open);
    open.guests[0]!.config_ips = ["10.0.0.7"];
    expect(toDriftGuests(open)).not.toBe(first);
    expect(toDriftGuests(open)[0]!.ips).toEqual(["10.0.0.7", "10.0.0.6"]);
  });
});
