import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { findCoverageGaps, formatTimelineCsv, isHeldAt, toTimelineEntry, type TimelinePeriod } from "./history";

const day = 24 * 3600 * 1000;
const t = (d: number) => new Date(Date.UTC(2026, 10, 1) + d * day);
const base = { now: t(60), recordingSince: t(0), prunedBefore: null, maxCollectionGapMs: 8 * day };

describe("findCoverageGaps", () => {
  it("names no gap while events are recorded and no collection source is in use", () => {
    expect(findCoverageGaps({ ...base, from: t(5), to: t(50), collections: [] })).toEqual([]);
  });

  it("names the stretch before the record starts", () => {
    expect(findCoverageGaps({ ...base, from: t(-3), to: t(2), collections: [] })).toEqual([{ from: t(-3), to: t(0), reason: "before the record starts" }]);
    expect(findCoverageGaps({ ...base, from: t(-3), to: t(-3), collections: [] })).toHaveLength(1);
    expect(findCoverageGaps({ ...base, from: t(0), to: t(0), collections: [] })).toEqual([]);
  });

  it("names a stretch without collections longer than the stale age, and only that", () => {
    const collections = [t(1), t(8), t(30), t(37), t(44), t(51), t(58)];
    expect(findCoverageGaps({ ...base, from: t(0), to: t(60), collections })).toEqual([
      { from: t(8), to: t(30), reason: "no inventory collection ran: guests are unknown" },
    ]);
    expect(findCoverageGaps({ ...base, from: t(20), to: t(20), collections })).toEqual([
      { from: t(8), to: t(30), reason: "no inventory collection ran: guests are unknown" },
    ]);
    expect(findCoverageGaps({ ...base, from: t(40), to: t(40), collections })).toEqual([]);
  });

  it("counts the time since the last collection when it is too long", () => {
    expect(findCoverageGaps({ ...base, from: t(50), to: t(60), collections: [t(1), t(8), t(40)] })).toEqual([
      { from: t(50), to: t(60), reason: "no inventory collection ran: guests are unknown" },
    ]);
  });

  it("names what pruning removed", () => {
    expect(findCoverageGaps({ ...base, prunedBefore: t(10), from: t(5), to: t(5), collections: [] })[0]?.reason).toBe("pruned: older than the retention");
  });
});

const period: TimelinePeriod = {
  kind: "switch_binding",
  from: t(1),
  to: t(3),
  tenantosServerId: null,
  switchName: "sw1",
  interface: "ge-0/0/4",
  mac: "aa:bb:cc:dd:ee:ff",
  vlan: "VLAN.13",
  vmid: null,
  node: null,
  hostname: "=cmd|' /C calc'!A0",
  status: null,
  owner: null,
  lastSeenAt: null,
  evidence: { type: "switch_push", id: "7" },
  endEvidence: { type: "switch_push", id: "9" },
};

describe("periods", () => {
  it("hold from their start, up to (not including) their end", () => {
    expect([t(0.5), t(1), t(2), t(3)].map((at) => isHeldAt(period, at))).toEqual([false, true, true, false]);
    expect(isHeldAt({ from: t(1), to: null }, t(100))).toBe(true);
  });

  it("are written with UTC times and without absent fields", () => {
    expect(toTimelineEntry(period)).toEqual({
      kind: "switch_binding",
      from: "2026-11-02T00:00:00.000Z",
      to: "2026-11-04T00:00:00.000Z",
      switch: "sw1",
      interface: "ge-0/0/4",
      mac: "aa:bb:cc:dd:ee:ff",
      vlan: "VLAN.13",
      hostname: "=cmd|' /C calc'!A0",
      evidence: { type: "switch_push", id: "7" },
      end_evidence: { type: "switch_push", id: "9" },
    });
  });

  it("go to CSV as the JSON has them, a formula made harmless", () => {
    const rows = parse(formatTimelineCsv([toTimelineEntry(period)]), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      expect.objectContaining({ kind: "switch_binding", from: "2026-11-02T00:00:00.000Z", interface: "ge-0/0/4", mac: "aa:bb:cc:dd:ee:ff", evidence_id: "7" }),
    ]);
    expect(rows[0]!.hostname).toBe("'=cmd|' /C calc'!A0");
  });

  it("name the record's gaps in the CSV as rows of their own", () => {
    const rows = parse(formatTimelineCsv([], [{ from: "2026-11-01T00:00:00.000Z", to: "2026-11-09T00:00:00.000Z", reason: "no inventory collection ran" }]), {
      columns: true,
    }) as Record<string, string>[];
    expect(rows).toEqual([
      expect.objectContaining({
        kind: "gap",
        from: "2026-11-01T00:00:00.000Z",
        to: "2026-11-09T00:00:00.000Z",
        evidence_type: "",
        evidence_id: "no inventory collection ran",
      }),
    ]);
  });
});
