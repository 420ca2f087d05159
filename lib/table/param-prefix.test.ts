import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineTableSpec, exportParams, nextSortParams, paramName, parseTableState, patchParams, serializeTableState, type TableState } from "./url-state";

// Two tables on one page (a switch's pushes and backups): each reads and writes only its own params.
const pushes = defineTableSpec({
  sortable: ["started", "status"],
  defaultSort: "started",
  defaultDir: "desc",
  filters: { status: z.enum(["committed", "failed"]), from: z.coerce.date() },
  paramPrefix: "pushes",
});
const backups = defineTableSpec({
  sortable: ["taken", "size"],
  defaultSort: "taken",
  defaultDir: "desc",
  filters: { status: z.enum(["ok", "failed"]) },
  paramPrefix: "backups",
});
const plain = defineTableSpec({ sortable: ["name"], defaultSort: "name", defaultDir: "asc", filters: { status: z.enum(["ok", "failed"]) } });

describe("paramPrefix", () => {
  it("names params with the prefix, and plainly without one", () => {
    expect(paramName("pushes", "sort")).toBe("pushes.sort");
    expect(paramName(undefined, "sort")).toBe("sort");
  });

  it("refuses a prefix that is not a plain word (it becomes part of every param)", () => {
    expect(() => defineTableSpec({ sortable: ["a"], defaultSort: "a", defaultDir: "asc", filters: {}, paramPrefix: "a&b" })).toThrow();
  });

  it("each table on a page reads only its own params from the one link", () => {
    const link = new URLSearchParams(
      "sort=name&dir=desc&status=failed&pushes.sort=status&pushes.dir=asc&pushes.page=2&pushes.status=committed&backups.page=3&backups.size=100&backups.q=nightly",
    );
    expect(parseTableState(plain, link).state).toEqual({ sort: "name", dir: "desc", page: 1, pageSize: 50, q: "", filters: { status: "failed" } });
    expect(parseTableState(pushes, link).state).toEqual({ sort: "status", dir: "asc", page: 2, pageSize: 50, q: "", filters: { status: "committed" } });
    expect(parseTableState(backups, link).state).toEqual({ sort: "taken", dir: "desc", page: 3, pageSize: 100, q: "nightly", filters: {} });
  });

  it("round-trips every view of a prefixed table through its link, beside another table's params", () => {
    const state = fc.record({
      sort: fc.constantFrom("started", "status" as const),
      dir: fc.constantFrom("asc", "desc" as const),
      page: fc.integer({ min: 1, max: 10_000 }),
      pageSize: fc.constantFrom(25, 50, 100, 200),
      q: fc.string({ maxLength: 40 }).map((s) => s.trim()),
      filters: fc.record(
        {
          status: fc.constantFrom("committed", "failed" as const),
          from: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
        },
        { requiredKeys: [] },
      ),
    });
    fc.assert(
      fc.property(state, (s) => {
        const link = serializeTableState(pushes, s as TableState<"started" | "status">);
        for (const key of link.keys()) expect(key.startsWith("pushes.")).toBe(true);
        link.set("page", "7");
        link.set("status", "ok");
        expect(parseTableState(pushes, link).state).toEqual(s);
        expect(parseTableState(plain, link).state).toMatchObject({ page: 7, filters: { status: "ok" } });
      }),
      { seed: 28, numRuns: 200 },
    );
  });

  it("a change to one table sends only that table back to page 1", () => {
    const current = "page=4&pushes.page=3&backups.page=2";
    expect(patchParams(current, { "pushes.status": "failed" }, "pushes").toString()).toBe("page=4&backups.page=2&pushes.status=failed");
    expect(patchParams(current, { "pushes.page": "1" }, "pushes").toString()).toBe("page=4&backups.page=2");
    expect(nextSortParams(current, "status", { sort: "started", dir: "desc" }, "pushes").toString()).toBe(
      "page=4&backups.page=2&pushes.sort=status&pushes.dir=asc",
    );
    // The unprefixed table keeps its old behaviour.
    expect(patchParams(current, { status: "ok" }).toString()).toBe("pushes.page=3&backups.page=2&status=ok");
  });

  it("a prefixed table's export drops only its own paging", () => {
    expect(exportParams("page=4&pushes.page=3&pushes.size=100&pushes.status=failed", "pushes").toString()).toBe("page=4&pushes.status=failed");
  });
});
