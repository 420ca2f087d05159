import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeMoveOutcome, computeMovePicture, LAYOUT } from "./move-picture";
import type { MovePlan } from "./moves";

type M = Parameters<typeof computeMovePicture>[0][number];
const move = (id: number, hostname: string, vid: number | null, targetVid: number, over: Partial<M> = {}): M => ({
  id,
  hostname,
  current: vid === null ? [] : [{ address: `10.0.${vid}.${id}`, vid }],
  targetVid,
  displayStatus: "planned",
  liveCheck: null,
  ...over,
});
const VLANS = [
  { vid: 11, name: "flat" },
  { vid: 120, name: "mgmt" },
  { vid: 200, name: "tenants" },
];

describe("the VLAN plan as a picture", () => {
  it("colours a move done only when it is seen live, failed when blocked or not live, pending otherwise", () => {
    const live = (state: "live" | "not-live" | "unknown") => ({ state, detail: "" });
    expect(computeMoveOutcome({ displayStatus: "done", liveCheck: live("live") })).toBe("done");
    expect(computeMoveOutcome({ displayStatus: "done", liveCheck: live("not-live") })).toBe("failed");
    expect(computeMoveOutcome({ displayStatus: "done", liveCheck: live("unknown") })).toBe("pending");
    expect(computeMoveOutcome({ displayStatus: "blocked", liveCheck: null })).toBe("failed");
    for (const s of ["planned", "ready", "in_progress"] as const) expect(computeMoveOutcome({ displayStatus: s, liveCheck: null })).toBe("pending");
  });

  it("groups hosts by their current VLAN and draws each one's line to its target VLAN", () => {
    const pic = computeMovePicture(
      [
        move(1, "loki", 11, 200, { displayStatus: "blocked" }),
        move(2, "ipmi-1", 11, 120, { displayStatus: "done", liveCheck: { state: "live", detail: "" } }),
        move(3, "grafana", null, 200),
      ],
      VLANS,
    );
    expect(pic.groups.map((g) => g.label)).toEqual(["VLAN 11 · flat", "no VLAN in IPAM"]);
    expect(pic.targets.map((t) => t.label)).toEqual(["VLAN 120 · mgmt", "VLAN 200 · tenants"]);
    expect(pic.hosts.map((h) => [h.hostname, h.outcome])).toEqual([
      ["ipmi-1", "done"],
      ["loki", "failed"],
      ["grafana", "pending"],
    ]);
    expect(pic.hosts[1]!.text).toBe("loki (10.0.11.1) → VLAN 200: blocked");
    expect(pic.counts).toEqual({ done: 1, pending: 1, failed: 1 });
    // The two moves onto VLAN 200 land on different points of its box.
    const onto200 = pic.hosts.filter((h) => h.targetVid === 200).map((h) => h.link.y2);
    expect(new Set(onto200).size).toBe(2);
  });

  it("keeps every host and every line inside the picture, with no two hosts on one row", () => {
    const status = fc.constantFrom<MovePlan["displayStatus"]>("planned", "ready", "blocked", "in_progress", "done");
    const arb = fc.uniqueArray(
      fc.record({
        host: fc.string({ minLength: 1, maxLength: 8 }),
        from: fc.option(fc.constantFrom(11, 120, 200), { nil: null }),
        to: fc.constantFrom(11, 120, 200, 300),
        status,
      }),
      { selector: (r) => r.host, maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, (rows) => {
        const pic = computeMovePicture(
          rows.map((r, i) => move(i + 1, r.host, r.from, r.to, { displayStatus: r.status })),
          VLANS,
        );
        expect(pic.hosts).toHaveLength(rows.length);
        expect(new Set(pic.hosts.map((h) => h.y)).size).toBe(rows.length);
        for (const h of pic.hosts) {
          expect(h.link.y1).toBeLessThanOrEqual(pic.height);
          expect(h.link.y2).toBeLessThanOrEqual(pic.height);
          expect(h.link.x2).toBe(LAYOUT.targetX);
        }
      }),
    );
  });
});
