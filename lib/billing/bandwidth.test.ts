import { describe, expect, it } from "vitest";
import { checkAgainstPanel95th, mergePortSamples, SLOTS_IN_30_DAYS } from "./bandwidth";

const at = (iso: string) => new Date(iso);
const day = { from: at("2026-11-01T00:00:00Z"), to: at("2026-11-02T00:00:00Z") };

describe("mergePortSamples", () => {
  it("adds a bonded server's ports per 5-minute slot, floors off-slot stamps, and sorts by time", () => {
    const portA = [
      { at: at("2026-11-01T00:05:00Z"), inBps: 100, outBps: 10 },
      { at: at("2026-11-01T00:00:00Z"), inBps: 50, outBps: 5 },
    ];
    const portB = [{ at: at("2026-11-01T00:07:30Z"), inBps: 1.4, outBps: 2.6 }];
    expect(mergePortSamples([portA, portB], day.from, day.to)).toEqual([
      { at: at("2026-11-01T00:00:00Z"), inBps: 50, outBps: 5 },
      { at: at("2026-11-01T00:05:00Z"), inBps: 101, outBps: 13 },
    ]);
  });

  it("keeps only the day asked for: the sample at the next midnight is the next day's", () => {
    const port = [
      { at: at("2026-10-31T23:55:00Z"), inBps: 1, outBps: 1 },
      { at: at("2026-11-01T23:55:00Z"), inBps: 2, outBps: 2 },
      { at: at("2026-11-02T00:00:00Z"), inBps: 3, outBps: 3 },
    ];
    expect(mergePortSamples([port], day.from, day.to).map((s) => s.inBps)).toEqual([2]);
  });
});

describe("checkAgainstPanel95th", () => {
  const full = SLOTS_IN_30_DAYS;

  it("agrees when the two 95th figures are close in every direction", () => {
    const r = checkAgainstPanel95th({ in: 3.9, out: 0.19, total: 4.1, slots: full }, { in: 3.88, out: 0.19, total: 4.12 });
    expect(r).toMatchObject({ verdict: "agrees" });
  });

  it("says differs when our samples are in another unit than guessed (bytes read as bits: 8 times too small)", () => {
    const r = checkAgainstPanel95th({ in: 3.88 / 8, out: 0.19 / 8, total: 4.12 / 8, slots: full }, { in: 3.88, out: 0.19, total: 4.12 });
    expect(r.verdict).toBe("differs");
    expect(r).toMatchObject({ ratio: 8 });
  });

  it("does not compare a window we have not collected most of, or a server the panel gives no figure for", () => {
    expect(checkAgainstPanel95th({ in: 1, out: 1, total: 2, slots: full * 0.5 }, { in: 100, out: 1, total: 101 })).toEqual({
      verdict: "too-few-samples",
      slots: full * 0.5,
    });
    expect(checkAgainstPanel95th({ in: 1, out: 1, total: 2, slots: full }, null)).toEqual({ verdict: "no-panel-figure" });
  });

  it("treats traffic below the panel's two printed decimals as equal, and a zero against real traffic as a difference", () => {
    expect(checkAgainstPanel95th({ in: 0.01, out: 0, total: 0.01, slots: full }, { in: 0, out: 0, total: 0 }).verdict).toBe("agrees");
    expect(checkAgainstPanel95th({ in: 0, out: 0, total: 0, slots: full }, { in: 2, out: 0, total: 2 }).verdict).toBe("differs");
  });
});
