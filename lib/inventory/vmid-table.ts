import { parseIpAddress } from "../net/ip";

export interface VmidRow {
  vmid: number;
  name: string;
  ips: string[];
  line: number;
}

export interface VmidTableProblem {
  line: number;
  text: string;
  message: string;
}

function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((c) => c.trim());
}

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;

/**
 * The VMID table of `ALL_VMIDS_ENDPOINTS.md`: any Markdown table whose header has a VMID column
 * and an IP column. A cell may hold several addresses, a CIDR suffix, or none (`—`, `N/A`).
 */
export interface ParsedVmidTable {
  rows: VmidRow[];
  problems: VmidTableProblem[];
}

export function parseVmidTable(markdown: string): ParsedVmidTable {
  const rows: VmidRow[] = [];
  const problems: VmidTableProblem[] = [];
  const lines = markdown.split(/\r?\n/);
  let header: { vmid: number; name: number; ip: number; width: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = i + 1;
    if (!raw.trim().startsWith("|")) {
      header = undefined;
      continue;
    }
    const c = cells(raw);
    if (!header) {
      const lower = c.map((x) => x.toLowerCase());
      const vmid = lower.findIndex((x) => x === "vmid" || x === "vm id" || x === "id");
      const ip = lower.findIndex((x) => x === "ip" || x.startsWith("ip ") || x === "ips" || x === "address");
      if (vmid >= 0 && ip >= 0) header = { vmid, ip, name: lower.findIndex((x) => x === "name" || x === "hostname" || x === "service"), width: c.length };
      continue;
    }
    if (c.every((x) => /^:?-{2,}:?$/.test(x))) continue;
    if (c.length !== header.width) {
      problems.push({ line, text: raw, message: `expected ${header.width} cells, found ${c.length}` });
      continue;
    }
    const vmidText = c[header.vmid]!.replace(/[*`]/g, "");
    if (!/^\d{3,9}$/.test(vmidText)) {
      problems.push({ line, text: raw, message: `"${vmidText}" is not a VMID` });
      continue;
    }
    const ips: string[] = [];
    for (const candidate of c[header.ip]!.match(IPV4) ?? []) {
      try {
        ips.push(parseIpAddress(candidate).ip);
      } catch {
        problems.push({ line, text: raw, message: `"${candidate}" is not an IP address` });
      }
    }
    rows.push({ vmid: Number(vmidText), name: header.name >= 0 ? c[header.name]!.replace(/[*`]/g, "") : "", ips, line });
  }
  return { rows, problems };
}
