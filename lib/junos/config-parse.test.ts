import { describe, expect, it } from "vitest";
import { parsePortVlanIds, parseVlanNamesById } from "./config-parse";

// Written by hand in the shape of `show configuration | display set` on an EX (non-ELS and ELS).
const CONFIG = `set system host-name ex-a
set vlans v13-customers vlan-id 13
set vlans VLAN.13 vlan-id 13
set vlans mgmt vlan-id 11
set vlans transit
set interfaces ge-0/0/5 unit 0 family ethernet-switching vlan members v13-customers
set interfaces ge-0/0/6 unit 0 family ethernet-switching vlan members 11
set interfaces ge-0/0/7 unit 0 family ethernet-switching vlan members mgmt
set interfaces ge-0/0/7 unit 0 family ethernet-switching vlan members v13-customers
set interfaces ge-0/0/8 unit 0 family ethernet-switching vlan members undefined-name`;

describe("reading VLANs the way the switch names them", () => {
  it("maps each VLAN id to the switch's own name (the first definition wins)", () => {
    expect(parseVlanNamesById(CONFIG)).toEqual(
      new Map([
        [13, "v13-customers"],
        [11, "mgmt"],
      ]),
    );
  });

  it("reads each port's access VLANs by name or id, ignoring names the switch does not define", () => {
    expect(parsePortVlanIds(CONFIG)).toEqual(
      new Map([
        ["ge-0/0/5.0", [13]],
        ["ge-0/0/6.0", [11]],
        ["ge-0/0/7.0", [11, 13]],
      ]),
    );
  });

  it("reads the VLAN-side form too (`set vlans NAME interface X`), in both dialects, a bare port being unit 0", () => {
    const legacy = `set vlans VLAN.13 vlan-id 13
set vlans VLAN.14 vlan-id 14
set vlans VLAN.13 interface ge-0/0/4.0
set vlans VLAN.14 interface ge-0/0/9
set vlans undefined-id interface ge-0/0/10.0
set interfaces ge-0/0/9 unit 0 family ethernet-switching vlan members VLAN.13`;
    expect(parsePortVlanIds(legacy)).toEqual(
      new Map([
        ["ge-0/0/4.0", [13]],
        ["ge-0/0/9.0", [14, 13]],
      ]),
    );
  });
});
