import { describe, expect, it } from "vitest";
import { parseBinding } from "../junos/bindings";
import { findRemovedBindings } from "./destructive";

const b = (ip: string, mac: string) => parseBinding({ ip, mac, vlan: "VLAN.13" });

describe("destructive port changes", () => {
  it("names the bindings a change would take away, and none for additions", () => {
    const now = [b("10.0.48.5", "aa:bb:cc:00:00:01"), b("10.0.48.6", "02:00:0a:00:30:06")];
    expect(findRemovedBindings(now, [...now, b("10.0.48.7", "02:00:0a:00:30:07")])).toEqual([]);
    expect(findRemovedBindings(now, [now[0]!])).toEqual([now[1]]);
    // A new MAC for the same IP takes the old device off.
    expect(findRemovedBindings(now, [now[0]!, b("10.0.48.6", "02:00:0a:00:30:99")])).toEqual([now[1]]);
  });
});
