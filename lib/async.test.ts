import { describe, expect, it } from "vitest";
import { mapWithConcurrency } from "./async";

/** A call the test settles by hand, so in-flight counts are read without timers. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("mapWithConcurrency", () => {
  it("returns the results in the items' order, whatever order the calls finish in", async () => {
    const gates = [gate(), gate(), gate()];
    const result = mapWithConcurrency(["a", "b", "c"], 3, async (item, i) => {
      await gates[i]!.opened;
      return `${item}${i}`;
    });
    gates[2]!.open();
    gates[0]!.open();
    gates[1]!.open();
    expect(await result).toEqual(["a0", "b1", "c2"]);
  });

  it("never has more than `limit` calls in flight, and starts the next as one ends", async () => {
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    let inFlight = 0;
    let most = 0;
    const result = mapWithConcurrency([0, 1, 2, 3, 4], 2, async (n) => {
      started.push(n);
      most = Math.max(most, ++inFlight);
      await gates[n]!.opened;
      inFlight--;
      return n * 10;
    });
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    for (let k = 0; k < 5 && started.length < 3; k++) await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await result).toEqual([0, 10, 20, 30, 40]);
    expect(most).toBe(2);
  });

  it("calls fn once per item when the limit exceeds the list, and not at all for none", async () => {
    const seen: string[] = [];
    expect(await mapWithConcurrency(["x", "y"], 8, async (s) => (seen.push(s), s.length))).toEqual([1, 1]);
    expect(seen).toEqual(["x", "y"]);
    expect(await mapWithConcurrency([], 8, async () => 1)).toEqual([]);
  });

  it("rejects with the first failure", async () => {
    await expect(
      mapWithConcurrency([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error("two failed");
        return n;
      }),
    ).rejects.toThrow("two failed");
  });
});
