import { describe, expect, it } from "vitest";
import { parseGuestNics } from "./guest-config";
import { parseIpAddressesConf } from "./ip-addresses-conf";
import { parseVmidTable } from "./vmid-table";

describe("parseIpAddressesConf", () => {
  it("reads KEY=ip, quoted values, export, comments and blank lines", () => {
    const { entries, problems } = parseIpAddressesConf(`# Proxmox
PROXMOX_HOST_R630_01=192.168.11.10

export NETWORK_GATEWAY="192.168.11.1"
BESU_RPC_1='192.168.11.211'   # rpc
NPM_PRIMARY=192.168.11.167  # proxy
`);
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { key: "PROXMOX_HOST_R630_01", ip: "192.168.11.10", line: 2 },
      { key: "NETWORK_GATEWAY", ip: "192.168.11.1", line: 4 },
      { key: "BESU_RPC_1", ip: "192.168.11.211", line: 5 },
      { key: "NPM_PRIMARY", ip: "192.168.11.167", line: 6 },
    ]);
  });

  it("reports malformed lines with their numbers instead of guessing", () => {
    const { entries, problems } = parseIpAddressesConf(`A=10.0.0.1
B=$A
C=10.0.0.300
source other.conf
A=10.0.0.2
D=
E="10.0.0.5`);
    expect(entries.map((e) => e.key)).toEqual(["A"]);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [2, "B: the value is not a literal (variables, quotes or commands are not read)"],
      [3, 'C: "10.0.0.300" is not an IP address'],
      [4, "not a KEY=value assignment"],
      [5, "A is already set on line 1"],
      [6, "D: empty value"],
      [7, "E: the value is not a literal (variables, quotes or commands are not read)"],
    ]);
  });
});

describe("parseVmidTable", () => {
  const doc = `# All VMIDs

Some text.

| VMID | Name | IP Address | Ports |
|------|------|------------|-------|
| 2101 | besu-rpc-1 | 192.168.11.211 | 8545 |
| **5000** | blockscout | 192.168.11.140/24, 10.0.0.140 | 4000 |
| 7800 | sankofa-portal | — | 3000 |
| 99x | broken | 1.2.3.4 | 1 |
| 7801 | short row |

| Other | Table |
|---|---|
| 1 | 2 |
`;
  it("reads every VMID row: several addresses, CIDR suffixes, none", () => {
    const { rows } = parseVmidTable(doc);
    expect(rows).toEqual([
      { vmid: 2101, name: "besu-rpc-1", ips: ["192.168.11.211"], line: 7 },
      { vmid: 5000, name: "blockscout", ips: ["192.168.11.140", "10.0.0.140"], line: 8 },
      { vmid: 7800, name: "sankofa-portal", ips: [], line: 9 },
    ]);
  });
  it("reports rows it cannot read, with their line numbers, and ignores other tables", () => {
    expect(parseVmidTable(doc).problems.map((p) => [p.line, p.message])).toEqual([
      [10, '"99x" is not a VMID'],
      [11, "expected 4 cells, found 2"],
    ]);
  });
});

describe("parseGuestNics", () => {
  it("reads QEMU netN + ipconfigN and LXC ip=, skipping dhcp and manual", () => {
    expect(
      parseGuestNics({
        net0: "virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,tag=13,firewall=1",
        ipconfig0: "ip=192.168.11.50/24,gw=192.168.11.1",
        net1: "e1000=BC:24:11:AA:BB:CD,bridge=vmbr1",
        ipconfig1: "ip=dhcp",
        name: "vm",
      }),
    ).toEqual([
      { index: 0, mac: "bc:24:11:aa:bb:cc", bridge: "vmbr0", vlanTag: 13, ips: ["192.168.11.50"] },
      { index: 1, mac: "bc:24:11:aa:bb:cd", bridge: "vmbr1", vlanTag: undefined, ips: [] },
    ]);
    expect(parseGuestNics({ net0: "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:01,ip=10.0.0.6/24,ip6=manual,type=veth" })).toEqual([
      { index: 0, mac: "bc:24:11:00:00:01", bridge: "vmbr0", vlanTag: undefined, ips: ["10.0.0.6"] },
    ]);
  });
});
