import { describe, expect, it } from "vitest";
import { parseBinding } from "./bindings";
import { findBindingDrift, findRepairablePorts } from "./drift";

const b = (ip: string, mac = "02:00:00:00:00:01") => parseBinding({ ip, mac, vlan: "VLAN.13" });

describe("findBindingDrift", () => {
  it("is empty when the switch holds exactly the desired bindings", () => {
    expect(findBindingDrift(new Map([["ge-0/0/1.0", [b("10.0.0.1")]]]), new Map([["ge-0/0/1.0", [b("10.0.0.1")]]]))).toEqual([]);
  });
  it("reports missing and extra bindings, and ports we do not manage", () => {
    const drift = findBindingDrift(
      new Map([
        ["ge-0/0/1.0", [b("10.0.0.1"), b("10.0.0.2")]],
        ["ge-0/0/2.0", []],
      ]),
      new Map([
        ["ge-0/0/1.0", [b("10.0.0.1"), b("10.0.0.9")]],
        ["ge-0/0/5.0", [b("10.0.0.5")]],
      ]),
    );
    expect(drift).toEqual([
      { interface: "ge-0/0/1.0", missing: [b("10.0.0.2")], extra: [b("10.0.0.9")], isManaged: true },
      { interface: "ge-0/0/5.0", missing: [], extra: [b("10.0.0.5")], isManaged: false },
    ]);
  });
  it("counts a changed MAC as one missing and one extra", () => {
    const drift = findBindingDrift(new Map([["ae0.0", [b("10.0.0.1", "02:00:00:00:00:01")]]]), new Map([["ae0.0", [b("10.0.0.1", "02:00:00:00:00:02")]]]));
    expect(drift[0]).toMatchObject({ missing: [{ mac: "02:00:00:00:00:01" }], extra: [{ mac: "02:00:00:00:00:02" }] });
  });
});

describe("findRepairablePorts", () => {
  it("keeps managed ports that differ, never unmanaged ones or ones whose desired state is unknown", () => {
    const ports = [
      { interface: "ge-0/0/1.0", missing: [b("10.0.0.1")], extra: [], isManaged: true, source: "manual" as const },
      { interface: "ge-0/0/2.0", missing: [], extra: [b("10.0.0.2")], isManaged: true, source: "panel" as const },
      { interface: "ge-0/0/3.0", missing: [], extra: [], isManaged: true, source: "panel" as const, unknownReason: "Tenantos is not configured" },
      { interface: "ge-0/0/5.0", missing: [], extra: [b("10.0.0.5")], isManaged: false },
    ];
    expect(findRepairablePorts(ports)).toEqual(["ge-0/0/1.0", "ge-0/0/2.0"]);
    expect(findRepairablePorts([])).toEqual([]);
  });
});
