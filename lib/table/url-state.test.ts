import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  defineTableSpec,
  describeRange,
  exportParams,
  nextSortParams,
  parseTableState,
  patchParams,
  serializeTableState,
  tableInputSchema,
  type TableState,
} from "./url-state";

const spec = defineTableSpec({
  sortable: ["address", "hostname", "status"],
  defaultSort: "address",
  defaultDir: "asc",
  filters: {
    status: z.enum(["planned", "active", "released"]),
    prefix: z.coerce.number().int().positive(),
    from: z.coerce.date(),
  },
});

describe("parseTableState", () => {
  it("reads sort, direction, page, size, text and filters from a link", () => {
    const { state, errors } = parseTableState(spec, new URLSearchParams("sort=hostname&dir=desc&page=3&size=100&q=web&status=active&prefix=7"));
    expect(errors).toEqual([]);
    expect(state).toEqual({ sort: "hostname", dir: "desc", page: 3, pageSize: 100, q: "web", filters: { status: "active", prefix: 7 } });
  });

  it("falls back to the defaults for what it does not know, and never lets an unlisted column through", () => {
    const { state } = parseTableState(spec, { sort: "id; drop table x", dir: "sideways", page: "-2", size: "13", tab: "addresses" });
    expect(state).toEqual({ sort: "address", dir: "asc", page: 1, pageSize: 50, q: "", filters: {} });
  });

  it("sorts a column named without a direction ascending (old links said only sort=hostname)", () => {
    expect(parseTableState(spec, { sort: "hostname" }).state).toMatchObject({ sort: "hostname", dir: "asc" });
  });

  it("drops a filter value its schema refuses and says which", () => {
    const { state, errors } = parseTableState(spec, { status: "gone", from: "not a date", prefix: "3" });
    expect(state.filters).toEqual({ prefix: 3 });
    expect(errors).toHaveLength(2);
    expect(errors.join(" ")).toContain("status");
    expect(errors.join(" ")).toContain("from");
  });

  it("takes the first of repeated params, as Next hands them over", () => {
    expect(parseTableState(spec, { status: ["active", "planned"] }).state.filters).toEqual({ status: "active" });
  });
});

describe("serializeTableState", () => {
  it("leaves defaults out, so the default view's link is bare", () => {
    expect(serializeTableState(spec, parseTableState(spec, {}).state).toString()).toBe("");
  });

  it("round-trips every view through its link", () => {
    const state = fc.record({
      sort: fc.constantFrom("address", "hostname", "status" as const),
      dir: fc.constantFrom("asc", "desc" as const),
      page: fc.integer({ min: 1, max: 10_000 }),
      pageSize: fc.constantFrom(25, 50, 100, 200),
      q: fc.string({ maxLength: 40 }).map((s) => s.trim()),
      filters: fc.record(
        {
          status: fc.constantFrom("planned", "active", "released" as const),
          prefix: fc.integer({ min: 1, max: 1_000_000 }),
          from: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
        },
        { requiredKeys: [] },
      ),
    });
    fc.assert(
      fc.property(state, (s) => {
        const link = serializeTableState(spec, s as TableState<"address" | "hostname" | "status">).toString();
        expect(parseTableState(spec, new URLSearchParams(link)).state).toEqual(s);
      }),
      { seed: 28, numRuns: 200 },
    );
  });
});

describe("link edits", () => {
  it("a header click sorts ascending first, then flips, and goes back to page 1", () => {
    const first = nextSortParams("page=4&status=active", "hostname", { sort: "address", dir: "asc" });
    expect(first.toString()).toBe("status=active&sort=hostname&dir=asc");
    expect(nextSortParams(first, "hostname", { sort: "hostname", dir: "asc" }).get("dir")).toBe("desc");
    expect(nextSortParams(first, "hostname", { sort: "hostname", dir: "desc" }).get("dir")).toBe("asc");
  });

  it("a filter change resets the page; a page change keeps everything else", () => {
    expect(patchParams("page=3&q=a&tab=addresses", { status: "active" }).toString()).toBe("q=a&tab=addresses&status=active");
    expect(patchParams("q=a", { page: "2" }).toString()).toBe("q=a&page=2");
    expect(patchParams("q=a&page=2", { page: "1" }).toString()).toBe("q=a");
    expect(patchParams("q=a&status=active", { status: "" }).toString()).toBe("q=a");
  });

  it("the export link keeps filters and sort but not the page", () => {
    expect(exportParams("q=a&page=3&size=100&sort=hostname&dir=desc").toString()).toBe("q=a&sort=hostname&dir=desc");
  });
});

describe("describeRange", () => {
  it("says which rows of how many", () => {
    expect(describeRange(1, 50, 12_345)).toBe("1–50 of 12,345");
    expect(describeRange(247, 50, 12_345)).toBe("12,301–12,345 of 12,345");
    expect(describeRange(1, 50, 0)).toBe("0 of 0");
    expect(describeRange(9, 50, 120)).toBe("none of 120 on this page");
    // Past the list's count cap the total is a floor.
    expect(describeRange(200, 50, 10_000, true)).toBe("9,951–10,000 of 10,000+");
  });
});

describe("tableInputSchema", () => {
  const input = tableInputSchema(spec);
  it("fills defaults and refuses columns and sizes the page cannot ask for", () => {
    expect(input.parse({})).toEqual({ sort: "address", dir: "asc", page: 1, pageSize: 50, q: "", filters: {} });
    expect(input.safeParse({ sort: "mac" }).success).toBe(false);
    expect(input.safeParse({ pageSize: 5000 }).success).toBe(false);
    expect(input.parse({ filters: { prefix: "4" } }).filters).toEqual({ prefix: 4 });
  });
});

describe("utcDateParam", () => {
  it("reads a zone-less datetime-local value as UTC, and a zoned one as written", async () => {
    const { utcDateParam } = await import("./url-state");
    expect(utcDateParam.parse("2026-12-06T14:05")).toEqual(new Date("2026-12-06T14:05:00Z"));
    expect(utcDateParam.parse("2026-12-06T14:05:09+02:00")).toEqual(new Date("2026-12-06T12:05:09Z"));
    expect(utcDateParam.safeParse("yesterday").success).toBe(false);
  });
});
