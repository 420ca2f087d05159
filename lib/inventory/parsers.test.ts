import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIpAddress } from "../net/ip";
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

// What ip-addresses.conf means, said the simplest way (for lines without line terminators): a
// comment is the first `#` that follows whitespace; a quoted value is a whole quote, optionally
// followed by a comment; an unquoted value may not contain quotes, `$`, backticks or backslashes.
function modelConfLine(line: string): ReturnType<typeof parseIpAddressesConf> {
  const none = { entries: [], problems: [] };
  const problem = (message: string) => ({ entries: [], problems: [{ line: 1, text: line, message }] });
  const t = line.trim();
  if (t === "" || t.startsWith("#")) return none;
  const m = /^(?:export\s+)?([A-Za-z_]\w*)=/.exec(t);
  if (!m) return problem("not a KEY=value assignment");
  const key = m[1]!;
  const v = t.slice(m[0].length).trim();
  let value: string | undefined;
  const close = v.startsWith('"') || v.startsWith("'") ? v.indexOf(v[0]!, 1) : -1;
  if (close > 0 && (close === v.length - 1 || /^\s+#/.test(v.slice(close + 1)))) value = v.slice(1, close);
  else {
    const comment = v.search(/\s#/);
    const literal = comment === -1 ? v : v.slice(0, comment).trimEnd();
    if (!/["'$`\\]/.test(literal)) value = literal;
  }
  if (value === undefined) return problem(`${key}: the value is not a literal (variables, quotes or commands are not read)`);
  if (value === "") return problem(`${key}: empty value`);
  try {
    return { entries: [{ key, ip: parseIpAddress(value).ip, line: 1 }], problems: [] };
  } catch {
    return problem(`${key}: "${value}" is not an IP address`);
  }
}

describe("parseIpAddressesConf on long lines", () => {
  // Words (addresses, `#`, quotes, `$`) separated by runs of whitespace up to 24,000 long (lines up
  // to about 50,000 characters): the shape a backtracking comment regex takes quadratic time on.
  const word = fc.constantFrom("#", "# x", "10.0.0.7", "fd00::7", "x", "a#b", '"', "'", '"10.0.0.8"', "$HOST", "=", "\t#", "\t");
  const edge = fc.constantFrom("", " ", "\t", "   ");
  const gap = fc.noBias(fc.integer({ min: 1, max: 24_000 })).map((n) => " ".repeat(n));
  const line = fc
    .tuple(
      fc.constantFrom("", "  ", "export ", "export\t\t"),
      fc.constantFrom("HOST_A", "_b1"),
      edge,
      word,
      fc.array(fc.tuple(gap, word), { minLength: 1, maxLength: 2 }),
      edge,
    )
    .map(([lead, key, before, first, rest, after]) => `${lead}${key}=${before}${first}${rest.flat().join("")}${after}`);

  it("reads lines of up to 50,000 characters as the simple model of the format does", () => {
    fc.assert(
      fc.property(line, (l) => {
        expect(parseIpAddressesConf(l)).toEqual(modelConfLine(l));
      }),
    );
  });

  it("finishes on lines of 200,000 spaces (within vitest's test timeout)", () => {
    const spaces = " ".repeat(200_000);
    const { entries, problems } = parseIpAddressesConf(`${spaces}x\nA=10.0.0.1${spaces}x\nB="10.0.0.2"${spaces}x\nC=10.0.0.3${spaces}# gateway`);
    expect(entries).toEqual([{ key: "C", ip: "10.0.0.3", line: 4 }]);
    expect(problems.map((p) => [p.line, p.message.slice(0, 20)])).toEqual([
      [1, "not a KEY=value assi"],
      [2, 'A: "10.0.0.1        '],
      [3, "B: the value is not "],
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
