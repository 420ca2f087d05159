import { describe, expect, it } from "vitest";
import { buildBreadcrumbs, findNavItemForPath, groupNavItems, NAV_GROUPS, NAV_ITEMS } from "./nav";

describe("navigation", () => {
  it("puts every page in one of the groups, in the groups' order", () => {
    const grouped = groupNavItems(NAV_ITEMS);
    expect(grouped.map((g) => g.group)).toEqual(NAV_GROUPS.filter((g) => NAV_ITEMS.some((i) => i.group === g)));
    expect(grouped.flatMap((g) => g.items)).toHaveLength(NAV_ITEMS.length);
    expect(grouped.find((g) => g.group === "Network")!.items.map((i) => i.href)).toContain("/it/switches");
  });

  it("leaves out groups a role has no page in", () => {
    const financeOnly = NAV_ITEMS.filter((i) => i.access === "finance");
    expect(groupNavItems(financeOnly).map((g) => g.group)).toEqual(["Billing"]);
  });

  it("marks the section of a nested page, never the dashboard for everything", () => {
    expect(findNavItemForPath("/it/switches/12")?.href).toBe("/it/switches");
    expect(findNavItemForPath("/it/switches-archive")).toBeUndefined();
    expect(findNavItemForPath("/it")?.href).toBe("/it");
    expect(findNavItemForPath("/it/")?.href).toBe("/it");
  });

  it("builds group › section › segments, the last one not a link", () => {
    expect(buildBreadcrumbs("/it/switches")).toEqual([{ label: "Network" }, { label: "Switches", href: undefined }]);
    expect(buildBreadcrumbs("/it/switches/sw%201/ports")).toEqual([
      { label: "Network" },
      { label: "Switches", href: "/it/switches" },
      { label: "sw 1", href: "/it/switches/sw%201" },
      { label: "ports", href: undefined },
    ]);
    expect(buildBreadcrumbs("/it")).toEqual([]);
  });
});
