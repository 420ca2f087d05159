import { describe, expect, it } from "vitest";
import { findForeignChanges } from "./compare-guard";

const OURS = `[edit ethernet-switching-options secure-access-port interface ge-0/0/1.0]
-    static-ip 10.0.48.5 {
-        vlan VLAN.13;
-        mac aa:bb:cc:00:00:01;
-    }
+    static-ip 10.0.48.6 {
+        vlan VLAN.13;
+        mac 02:00:0a:00:30:06;
+    }
[edit ethernet-switching-options secure-access-port]
+   interface ge-0/0/7.0 {
+       static-ip 10.0.48.7 {
+           vlan VLAN.13;
+           mac 02:00:0a:00:30:07;
+       }
+   }`;

describe("findForeignChanges", () => {
  it("accepts changes inside the planned ports' binding subtrees, new stanzas included", () => {
    expect(findForeignChanges(OURS, { dialect: "non-els", interfaces: ["ge-0/0/1.0", "ge-0/0/7.0"] })).toEqual([]);
  });

  it("flags a change on a port that is not in the plan", () => {
    expect(findForeignChanges(OURS, { dialect: "non-els", interfaces: ["ge-0/0/1.0"] })).toEqual([
      "+ ethernet-switching-options secure-access-port interface ge-0/0/7.0 static-ip 10.0.48.7 vlan VLAN.13",
      "+ ethernet-switching-options secure-access-port interface ge-0/0/7.0 static-ip 10.0.48.7 mac 02:00:0a:00:30:07",
    ]);
  });

  it("flags changes to other settings of a planned port and anywhere else", () => {
    const compare = `[edit ethernet-switching-options secure-access-port interface ge-0/0/1.0]
-    mac-limit 4;
[edit system]
+  host-name oops;
[edit]
+  snmp {
+      community "pub lic" {
+          authorization read-write;
+      }
+  }`;
    expect(findForeignChanges(compare, { dialect: "non-els", interfaces: ["ge-0/0/1.0"] })).toEqual([
      "- ethernet-switching-options secure-access-port interface ge-0/0/1.0 mac-limit 4",
      "+ system host-name oops",
      "+ snmp community pub lic authorization read-write",
    ]);
  });

  it("knows the ELS hierarchy, under any VLAN and group", () => {
    const compare = `[edit vlans VLAN.20 forwarding-options dhcp-security group sankofa interface ge-0/0/4.0]
+      static-ip 10.0.20.5 {
+          mac 02:00:00:00:00:05;
+      }
[edit vlans VLAN.20 forwarding-options dhcp-security group sankofa interface ge-0/0/4.0]
-      arp-inspection;`;
    expect(findForeignChanges(compare, { dialect: "els", interfaces: ["ge-0/0/4.0"] })).toEqual([
      "- vlans VLAN.20 forwarding-options dhcp-security group sankofa interface ge-0/0/4.0 arp-inspection",
    ]);
  });

  it("ignores context lines and comments", () => {
    const compare = `## Last changed: 2026-11-22
[edit ethernet-switching-options secure-access-port interface ge-0/0/1.0]
     mac-limit 4;
+    static-ip 10.0.48.6 vlan VLAN.13 mac 02:00:0a:00:30:06;`;
    expect(findForeignChanges(compare, { dialect: "non-els", interfaces: ["ge-0/0/1.0"] })).toEqual([]);
  });
});

describe("description changes", () => {
  const compare = ["[edit interfaces]", "+   ge-0/0/5 {", "+       description srv-202-dedi-202;", "+   }"].join("\n");
  it("allows a planned interface's description and nothing else under interfaces", () => {
    expect(findForeignChanges(compare, { dialect: "non-els", interfaces: ["ge-0/0/5.0"], describedInterfaces: ["ge-0/0/5"] })).toEqual([]);
    expect(findForeignChanges(compare, { dialect: "non-els", interfaces: ["ge-0/0/5.0"] })).toEqual(["+ interfaces ge-0/0/5 description srv-202-dedi-202"]);
  });
});
