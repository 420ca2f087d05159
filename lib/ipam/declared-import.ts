import type { ConfEntry, ConfProblem } from "../inventory/ip-addresses-conf";
import type { VmidRow, VmidTableProblem } from "../inventory/vmid-table";
import { findContainingPrefix } from "./values";

export interface DeclaredAddress {
  address: string;
  prefixId: number;
  hostname: string | null;
  vmid: number | null;
  sourceRef: string;
}

export interface ImportConflict {
  kind: "duplicate_ip" | "outside_every_prefix" | "malformed_line" | "owned_elsewhere";
  file: "ip-addresses.conf" | "ALL_VMIDS_ENDPOINTS.md";
  line: number | null;
  message: string;
}

/** A declared file's unreadable lines, each a conflict naming the file and line. */
function malformedLines(file: ImportConflict["file"], problems: ReadonlyArray<{ line: number; text: string; message: string }>): ImportConflict[] {
  return problems.map((p) => ({ kind: "malformed_line", file, line: p.line, message: `${p.message}: ${p.text}` }));
}

/**
 * What importing the declared inventory would write: one address per `ip-addresses.conf` key
 * (named and numbered from the VMID table when it lists the same IP), and every conflict. Nothing
 * in conflict is written, and an address another source owns is never overwritten.
 */
export function planDeclaredImport(input: {
  conf: { entries: ConfEntry[]; problems: ConfProblem[] };
  doc: { rows: VmidRow[]; problems: VmidTableProblem[] };
  prefixes: ReadonlyArray<{ id: number; prefix: string }>;
  existing: ReadonlyMap<string, { sourceRef: string | null }>;
}): { addresses: DeclaredAddress[]; conflicts: ImportConflict[] } {
  const conflicts: ImportConflict[] = [
    ...malformedLines("ip-addresses.conf", input.conf.problems),
    ...malformedLines("ALL_VMIDS_ENDPOINTS.md", input.doc.problems),
  ];
  const byIp = new Map<string, ConfEntry[]>();
  for (const e of input.conf.entries) byIp.set(e.ip, [...(byIp.get(e.ip) ?? []), e]);
  const docByIp = new Map<string, VmidRow>();
  for (const r of input.doc.rows) for (const ip of r.ips) if (!docByIp.has(ip)) docByIp.set(ip, r);

  const addresses: DeclaredAddress[] = [];
  for (const [ip, entries] of byIp) {
    const first = entries[0]!;
    if (entries.length > 1) {
      conflicts.push({
        kind: "duplicate_ip",
        file: "ip-addresses.conf",
        line: entries[1]!.line,
        message: `${ip} is declared twice: ${entries.map((e) => `${e.key} (line ${e.line})`).join(", ")}`,
      });
      continue;
    }
    const prefix = findContainingPrefix(ip, input.prefixes);
    if (!prefix) {
      conflicts.push({
        kind: "outside_every_prefix",
        file: "ip-addresses.conf",
        line: first.line,
        message: `${first.key}=${ip} is outside every prefix in IPAM`,
      });
      continue;
    }
    const sourceRef = `ip-addresses.conf:${first.key}`;
    const owner = input.existing.get(ip);
    if (owner && owner.sourceRef !== sourceRef) {
      conflicts.push({
        kind: "owned_elsewhere",
        file: "ip-addresses.conf",
        line: first.line,
        message: `${ip} (${first.key}) is already in IPAM from ${owner.sourceRef ?? "the console"}: not overwritten`,
      });
      continue;
    }
    const doc = docByIp.get(ip);
    addresses.push({ address: ip, prefixId: prefix.id, hostname: doc?.name ?? first.key.toLowerCase().replace(/_/g, "-"), vmid: doc?.vmid ?? null, sourceRef });
  }
  return { addresses, conflicts };
}
