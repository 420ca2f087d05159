import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTableState } from "@/lib/table/url-state";
import type { Freshness } from "./freshness";
import type { PortMapFact } from "./path";
import {
  capList,
  listPortMapSwitches,
  pagePortMapView,
  pageSwitchPorts,
  portMapTableSpec,
  statusOfPortMapRow,
  switchPortTableSpec,
  type PortMapTableState,
  type SwitchPortRowText,
  type SwitchPortTableState,
} from "./port-map-table";
import type { PortMapViewRow } from "./port-map-view";

const fresh: Freshness = { source: "unifi", collectedAt: new Date("2026-12-06T08:00:00Z"), isStale: false, error: null };
const row = (switchName: string, port: string, over: Partial<PortMapViewRow> = {}): PortMapViewRow => ({
  key: `${switchName}#${port}`,
  switchName,
  port,
  entryId: null,
  collected: { name: port, isUp: true, speedMbps: null, isUplink: false, lag: null, lldp: null, freshness: fresh },
  disagreements: [],
  ...over,
});
const entries: PortMapFact[] = [];
const view = (over: Partial<PortMapTableState> = {}): PortMapTableState => ({ ...parseTableState(portMapTableSpec, {}).state, ...over });

describe("pagePortMapView", () => {
  const rows = [
    row("usw-core", "10"),
    row("usw-core", "9", { disagreements: ["typed far end r630-03, LLDP hears r630-04"] }),
    row("ex-1", "ge-0/0/1", { collected: null }),
    row("ex-1", "ge-0/0/10"),
    row("ex-1", "ge-0/0/2"),
  ];

  it("sorts by switch then port in natural order and carries one page", () => {
    const page = pagePortMapView(rows, entries, view({ pageSize: 2 }));
    expect(page.total).toBe(5);
    expect(page.rows.map((r) => r.key)).toEqual(["ex-1#ge-0/0/1", "ex-1#ge-0/0/2"]);
    const last = pagePortMapView(rows, entries, view({ pageSize: 2, page: 3 }));
    expect(last.rows.map((r) => r.key)).toEqual(["usw-core#10"]);
  });

  it("filters by switch, by status and by the search", () => {
    expect(pagePortMapView(rows, entries, view({ filters: { switch: "USW-core" } })).total).toBe(2);
    expect(pagePortMapView(rows, entries, view({ filters: { status: "disagree" } })).rows.map((r) => r.key)).toEqual(["usw-core#9"]);
    expect(pagePortMapView(rows, entries, view({ filters: { status: "unknown" } })).rows.map((r) => r.key)).toEqual(["ex-1#ge-0/0/1"]);
    expect(pagePortMapView(rows, entries, view({ filters: { status: "agree" } })).total).toBe(3);
    expect(pagePortMapView(rows, entries, view({ q: "ge-0/0/1" })).rows.map((r) => r.key)).toEqual(["ex-1#ge-0/0/1", "ex-1#ge-0/0/10"]);
  });

  it("sorts by status, disagreements first", () => {
    expect(pagePortMapView(rows, entries, view({ sort: "status", pageSize: 25 })).rows.map(statusOfPortMapRow)).toEqual([
      "disagree",
      "unknown",
      "agree",
      "agree",
      "agree",
    ]);
  });

  it("shows every matching row exactly once over all pages, whatever the sort and page size", () => {
    const arbRow = fc
      .record({ sw: fc.constantFrom("a", "b", "C"), port: fc.constantFrom("1", "2", "10", "x"), status: fc.constantFrom("agree", "disagree", "unknown") })
      .map(({ sw, port, status }) => row(sw, port, status === "unknown" ? { collected: null } : { disagreements: status === "disagree" ? ["differs"] : [] }));
    fc.assert(
      fc.property(
        fc.uniqueArray(arbRow, { selector: (r) => r.key, maxLength: 30 }),
        fc.constantFrom(...portMapTableSpec.sortable),
        fc.constantFrom("asc" as const, "desc" as const),
        fc.constantFrom(25, 50),
        (all, sort, dir, pageSize) => {
          const small = { sort, dir, pageSize: Math.max(1, pageSize % 7) };
          const seen: string[] = [];
          const { total } = pagePortMapView(all, entries, view({ ...small, page: 1 }));
          for (let p = 1; p <= Math.ceil(total / small.pageSize); p++) {
            const page = pagePortMapView(all, entries, view({ ...small, page: p }));
            expect(page.rows.length).toBeLessThanOrEqual(small.pageSize);
            seen.push(...page.rows.map((r) => r.key));
          }
          expect(total).toBe(all.length);
          expect([...seen].sort()).toEqual(all.map((r) => r.key).sort());
        },
      ),
    );
  });
});

describe("listPortMapSwitches and capList", () => {
  it("lists each switch once in natural order", () => {
    expect(listPortMapSwitches([row("sw10", "1"), row("sw9", "1"), row("sw10", "2")])).toEqual(["sw9", "sw10"]);
  });
  it("keeps the first items and the count", () => {
    expect(capList([1, 2, 3], 2)).toEqual({ shown: [1, 2], total: 3 });
  });
});

describe("pageSwitchPorts", () => {
  const sp = (switchId: number, switchName: string, iface: string, over: Partial<SwitchPortRowText> = {}): SwitchPortRowText => ({
    switchId,
    switchName,
    interface: iface,
    description: null,
    owner: { kind: "manual" },
    onSwitch: [],
    ...over,
  });
  const rows = [
    sp(2, "ex-2", "ge-0/0/10"),
    sp(1, "ex-1", "ge-0/0/2", { owner: { kind: "dedicated", serverId: 42, proxmoxNode: null } }),
    sp(1, "ex-1", "ge-0/0/10", { onSwitch: [{ ip: "203.0.113.7", mac: "02:00:00:00:00:07" }] }),
  ];
  const state = (over: Partial<SwitchPortTableState> = {}): SwitchPortTableState => ({ ...parseTableState(switchPortTableSpec, {}).state, ...over });

  it("pages by switch then port in natural order", () => {
    const page = pageSwitchPorts(rows, "", state({ pageSize: 2 }));
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => `${r.switchName}:${r.interface}`)).toEqual(["ex-1:ge-0/0/2", "ex-1:ge-0/0/10"]);
  });
  it("searches owner server and bound IP, and filters by switch", () => {
    expect(pageSwitchPorts(rows, "server 42", state()).rows.map((r) => r.interface)).toEqual(["ge-0/0/2"]);
    expect(pageSwitchPorts(rows, "203.0.113.7", state()).rows.map((r) => r.interface)).toEqual(["ge-0/0/10"]);
    expect(pageSwitchPorts(rows, "", state({ filters: { switch: "ex-2" } })).total).toBe(1);
  });
});
