import { isJunosInterfaceName, isPrintableValue, quoteLine, stripUnit } from "./link-text";

/**
 * Reading `show lldp neighbors` (the summary table). Juniper documents it for EX switches as
 *
 *   Local Interface    Parent Interface    Chassis Id          Port info          System Name
 *   ge-0/0/1.0         -                   00:19:e2:50:3f:a0   ge-0/0/1.0         switch-b
 *
 * (https://www.juniper.net/documentation/en_US/junos12.3/topics/reference/command-summary/show-lldp-neighbors-lldp-ex-series.html,
 * Table 1: Local Interface, Parent Interface "aggregated Ethernet interfaces, if any, to which the
 * local interfaces belong", Chassis ID, Port info "the port identifier or port description",
 * System name). Non-ELS EX prints the local interface with its unit (`ge-0/0/1.0`, parent `ae0.0`);
 * ELS prints the physical port (`ge-0/0/1`, parent `ae0`); routers (MX, older releases) leave the
 * Parent Interface column out. All three are read; the unit is dropped. Columns are padded to a
 * width, but a long value pushes the rest right, so values are read as words, and the header's
 * column offsets only settle where port info ends when it holds spaces (a port description).
 */
export interface LldpNeighbor {
  /** The physical port that heard the neighbour, without a unit. */
  localPort: string;
  /** The ae bundle the port is in (without a unit), or null when the switch prints `-`. */
  parentBundle: string | null;
  chassisId: string;
  /** The neighbour's port id or description (lldpd on a Linux host sends the NIC name or its MAC). */
  portInfo: string;
  /** Null when the neighbour sends no system name. */
  systemName: string | null;
}

export interface ParsedLldpNeighbors {
  neighbors: LldpNeighbor[];
  /** One entry per line that could not be read; those lines are left out, never guessed at. */
  problems: string[];
}

const HEADER = /^\s*Local Interface\s+(Parent Interface\s+)?Chassis Id\s+Port info\s+System Name\s*$/i;

export function parseLldpNeighbors(text: string): ParsedLldpNeighbors {
  const neighbors: LldpNeighbor[] = [];
  const problems: string[] = [];
  const lines = text.replace(/\r/g, "").split("\n");
  const headerAt = lines.findIndex((l) => HEADER.test(l));
  if (headerAt < 0) {
    // No neighbour at all prints nothing but an empty table, or nothing: only other text is a problem.
    const other = lines.map((l) => l.trim()).filter((l) => l && !/^show lldp neighbors/.test(l) && !/^\{.*\}$/.test(l));
    if (other.length) problems.push(`no "Local Interface … System Name" header in the output; first line ${quoteLine(other[0]!)}`);
    return { neighbors, problems };
  }
  const header = lines[headerAt]!;
  const hasParent = Boolean(HEADER.exec(header)![1]);
  const systemNameAt = header.search(/System Name/i);
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim() || /^\{.*\}$/.test(line.trim())) continue;
    const where = `line ${i + 1} ${quoteLine(line)}`;
    const spans = [...line.matchAll(/\S+/g)];
    const words = spans.map((m) => m[0]);
    const fixed = hasParent ? 3 : 2;
    if (words.length < fixed + 1) {
      problems.push(`${where}: expected a local interface${hasParent ? ", a parent interface" : ""}, a chassis id and port info`);
      continue;
    }
    const [local, parentRaw] = words;
    const chassisId = words[fixed - 1]!;
    const parent = hasParent && parentRaw !== "-" ? parentRaw! : null;
    if (!isJunosInterfaceName(local!)) {
      problems.push(`${where}: ${JSON.stringify(local)} is not an interface name`);
      continue;
    }
    if (parent !== null && !/^ae\d+(\.\d+)?$/.test(parent)) {
      problems.push(`${where}: parent ${JSON.stringify(parent)} is not an aggregated interface (aeN)`);
      continue;
    }
    const tail = splitTail(line, spans[fixed]!.index, systemNameAt);
    if (!tail) {
      problems.push(`${where}: cannot tell port info from system name`);
      continue;
    }
    if (![chassisId, tail.portInfo, ...(tail.systemName ? [tail.systemName] : [])].every(isPrintableValue)) {
      problems.push(`${where}: a value is empty, too long or not printable text`);
      continue;
    }
    neighbors.push({ localPort: stripUnit(local!), parentBundle: parent ? stripUnit(parent) : null, chassisId, ...tail });
  }
  return { neighbors, problems };
}

/** Port info and system name from the text after the chassis id (`tailAt` is where it begins in the line). */
function splitTail(line: string, tailAt: number, systemNameAt: number): { portInfo: string; systemName: string | null } | null {
  const tail = line.slice(tailAt).trim();
  const rest = tail.split(/\s+/);
  if (rest.length === 1) return { portInfo: rest[0]!, systemName: null };
  if (rest.length === 2) {
    // "Port 1" with no system name: one space apart, and short of the System Name column.
    const second = line.indexOf(rest[1]!, tailAt + rest[0]!.length);
    const isOneValue = line.slice(tailAt + rest[0]!.length, second) === " " && second < systemNameAt;
    return isOneValue ? { portInfo: tail, systemName: null } : { portInfo: rest[0]!, systemName: rest[1]! };
  }
  // Words with spaces (a port description): the switch's padding of two or more spaces separates columns.
  const parts = tail.split(/\s{2,}/);
  if (parts.length === 2) return { portInfo: parts[0]!, systemName: parts[1]! };
  // Then the header: a system name starts at its column, after a space.
  if (systemNameAt > tailAt && line.length > systemNameAt && /\s/.test(line[systemNameAt - 1]!) && /\S/.test(line[systemNameAt]!)) {
    const portInfo = line.slice(tailAt, systemNameAt).trim();
    const systemName = line.slice(systemNameAt).trim();
    if (portInfo && systemName && !/\s{2,}/.test(portInfo)) return { portInfo, systemName };
  }
  return null;
}
