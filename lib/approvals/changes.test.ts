import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bindingKey, parseBinding, type Binding } from "../junos/bindings";
import {
  applyBindingChange,
  describeBindingChange,
  describeSettingsChange,
  findBindingChange,
  findChangedKeys,
  isApprovalExpired,
  stableJson,
} from "./changes";

const b = (last: number) => parseBinding({ ip: `10.0.48.${last}`, mac: `02:00:0a:00:30:${last.toString(16).padStart(2, "0")}`, vlan: "VLAN.13" });
const keys = (bs: readonly Binding[]) => bs.map(bindingKey).sort();

describe("a binding change is applied to the port as it is when approved", () => {
  it("removing .202 after .203 was added keeps .203", () => {
    const change = findBindingChange([b(201), b(202)], [b(201)]);
    expect(change).toEqual({ add: [], remove: [b(202)] });
    expect(keys(applyBindingChange([b(201), b(202), b(203)], change))).toEqual(keys([b(201), b(203)]));
  });

  it("over any asked-for list and any later state: only the asked removals go, only the asked additions come, the rest is kept", () => {
    const set = fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 12 }).map((xs) => xs.map(b));
    fc.assert(
      fc.property(set, set, set, (held, wanted, later) => {
        const change = findBindingChange(held, wanted);
        const after = new Set(keys(applyBindingChange(later, change)));
        for (const x of change.remove) expect(after.has(bindingKey(x))).toBe(false);
        for (const x of change.add) expect(after.has(bindingKey(x))).toBe(true);
        const touched = new Set([...change.add, ...change.remove].map(bindingKey));
        for (const x of later) if (!touched.has(bindingKey(x))) expect(after.has(bindingKey(x))).toBe(true);
        // Against the state it was asked for, the change gives exactly what was asked.
        expect(keys(applyBindingChange(held, change))).toEqual(keys(wanted));
      }),
    );
  });

  it("lists every binding that changes, as it will change, and what stays", () => {
    expect(describeBindingChange("sw ge-0/0/4.0", [b(201), b(202), b(203)], [b(201), b(203)])).toEqual([
      "sw ge-0/0/4.0: remove 10.0.48.202 02:00:0a:00:30:ca VLAN.13",
      "sw ge-0/0/4.0: keeps 10.0.48.201 02:00:0a:00:30:c9 VLAN.13, 10.0.48.203 02:00:0a:00:30:cb VLAN.13",
    ]);
    expect(describeBindingChange("p", [b(1)], [b(1)])[0]).toContain("nothing changes any more");
  });
});

describe("a settings change is only the keys it changes", () => {
  const current = { vlanAllowlist: [] as number[], backupRetentionDays: 45, provisioningStorages: ["local-lvm"] };
  it("keys equal to the current value are not part of it", () => {
    expect(findChangedKeys(current, { vlanAllowlist: [13, 20], backupRetentionDays: 45 })).toEqual(["vlanAllowlist"]);
  });
  it("says each change from its value now; an empty VLAN allowlist is every VLAN", () => {
    expect(describeSettingsChange(current, { vlanAllowlist: [13, 20], provisioningStorages: [] })).toEqual([
      "settings: vlanAllowlist from every VLAN to 13, 20",
      "settings: provisioningStorages from local-lvm to (empty)",
    ]);
  });
});

describe("digests and expiry", () => {
  it("the same state gives the same text whatever the key order", () => {
    expect(stableJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe(stableJson({ a: [{ x: 1, y: 2 }], b: 1 }));
  });
  it("a request expires after the setting's days, not before", () => {
    const at = new Date("2026-12-01T00:00:00Z");
    expect(isApprovalExpired(at, new Date("2026-12-07T23:59:59Z"), 7)).toBe(false);
    expect(isApprovalExpired(at, new Date("2026-12-08T00:00:00Z"), 7)).toBe(true);
  });
});
