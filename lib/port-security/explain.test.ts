import { describe, expect, it } from "vitest";
import { explainAddress, type WhyFacts } from "./explain";

const IP = "10.13.0.50";
const target = { switchName: "ex4200", interface: "ge-0/0/5.0", kind: "dedicated" as const, proxmoxNode: null };
const binding = { ip: IP, family: "ipv4" as const, mac: "02:00:00:00:00:50", vlan: "VLAN.13" };
const facts = (over: Partial<WhyFacts> = {}): WhyFacts => ({
  ip: IP,
  tenantos: { serverId: 7, serverName: "dedi-7" },
  preview: { blockedReason: null, target, desired: [binding], skipped: [], current: [binding], currentAsOf: new Date("2026-11-30T01:00:00Z") },
  lastPush: { changeId: "c-1", status: "committed", finishedAt: new Date("2026-11-30T00:59:00Z"), error: null },
  boundAt: [{ switchName: "ex4200", interface: "ge-0/0/5.0", mac: binding.mac, vlan: binding.vlan }],
  ipam: null,
  vmac: null,
  ...over,
});

describe("why is this IP (not) bound", () => {
  it("says bound when the switch holds what is desired, with every step of the chain", () => {
    const a = explainAddress(facts());
    expect(a.verdict).toBe("bound");
    expect(a.steps.map((s) => s.step)).toEqual(["ipam", "tenantos", "routing", "rules", "desired", "push", "switch", "drift"]);
    expect(a.steps.every((s) => s.status === "ok" || s.status === "info")).toBe(true);
  });

  it("shows the rule that left an IP out, with its reason", () => {
    const a = explainAddress(
      facts({ preview: { ...facts().preview!, desired: [], current: [], skipped: [{ subject: IP, reason: "VLAN 13 is not in the allowlist" }] } }),
    );
    expect(a.verdict).toBe("skipped");
    expect(a.summary).toContain("VLAN 13 is not in the allowlist");
    expect(a.steps.find((s) => s.step === "rules")).toMatchObject({ status: "skipped", lines: [`${IP}: VLAN 13 is not in the allowlist`] });
  });

  it("says pending with the last push's words when the switch does not hold it yet", () => {
    const a = explainAddress(
      facts({
        preview: { ...facts().preview!, current: [] },
        lastPush: { changeId: "c-2", status: "failed", finishedAt: new Date("2026-11-30T01:05:00Z"), error: "error: configuration check-out failed" },
      }),
    );
    expect(a.verdict).toBe("pending");
    expect(a.summary).toContain("configuration check-out failed");
    expect(a.steps.find((s) => s.step === "push")?.status).toBe("failed");
  });

  it("counts a binding with another MAC as not bound as desired", () => {
    const a = explainAddress(facts({ preview: { ...facts().preview!, current: [{ ...binding, mac: "02:00:00:00:00:99" }] } }));
    expect(a.verdict).toBe("pending");
    expect(a.steps.find((s) => s.step === "drift")?.lines[0]).toContain("02:00:00:00:00:99");
  });

  it("says not assigned, and flags a switch still binding an IP no server holds", () => {
    const a = explainAddress(facts({ tenantos: null, preview: null }));
    expect(a.verdict).toBe("not-assigned");
    expect(a.steps.find((s) => s.step === "switch")).toMatchObject({ status: "failed" });
  });

  it("says blocked with the routing reason, and unknown when Tenantos cannot be asked", () => {
    expect(
      explainAddress(facts({ preview: { ...facts().preview!, blockedReason: "the server has no switch connection in Tenantos", target: null } })),
    ).toMatchObject({
      verdict: "blocked",
      summary: expect.stringContaining("no switch connection"),
    });
    expect(explainAddress(facts({ tenantos: { error: "HTTP 503" }, preview: null })).verdict).toBe("unknown");
  });

  it("names the node whose uplink carries a VM's IP", () => {
    const a = explainAddress(facts({ preview: { ...facts().preview!, target: { ...target, kind: "vm-node", proxmoxNode: "pve2" } } }));
    expect(a.steps.find((s) => s.step === "routing")?.lines[0]).toContain("uplink of Proxmox node pve2");
  });
});
