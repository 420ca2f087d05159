import { parseIpAddress } from "../net/ip";

export interface ConfEntry {
  key: string;
  ip: string;
  line: number;
}

export interface ConfProblem {
  line: number;
  text: string;
  message: string;
}

export interface ParsedConf {
  entries: ConfEntry[];
  problems: ConfProblem[];
}

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

function unquote(raw: string): string | undefined {
  const v = raw.trim();
  const quoted = /^"([^"]*)"(\s+#.*)?$/.exec(v) ?? /^'([^']*)'(\s+#.*)?$/.exec(v);
  if (quoted) return quoted[1];
  if (/["'$`\\]/.test(v.replace(/\s+#.*$/, ""))) return undefined;
  return v.replace(/\s+#.*$/, "");
}

/**
 * `config/ip-addresses.conf`: shell-style `KEY=ip` / `KEY="ip"` literals, comments and blank
 * lines. Anything else (variable references, commands, a key given twice, a value that is not an
 * address) is a problem with its line number, never a guess.
 */
export function parseIpAddressesConf(text: string): ParsedConf {
  const entries: ConfEntry[] = [];
  const problems: ConfProblem[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === "" || t.startsWith("#")) return;
    const m = ASSIGNMENT.exec(t);
    if (!m) return problems.push({ line, text: raw, message: "not a KEY=value assignment" });
    const [, key, rawValue] = m as unknown as [string, string, string];
    const value = unquote(rawValue);
    if (value === undefined)
      return problems.push({ line, text: raw, message: `${key}: the value is not a literal (variables, quotes or commands are not read)` });
    if (value === "") return problems.push({ line, text: raw, message: `${key}: empty value` });
    let ip: string;
    try {
      ip = parseIpAddress(value).ip;
    } catch {
      return problems.push({ line, text: raw, message: `${key}: "${value}" is not an IP address` });
    }
    const first = seen.get(key);
    if (first !== undefined) return problems.push({ line, text: raw, message: `${key} is already set on line ${first}` });
    seen.set(key, line);
    entries.push({ key, ip, line });
  });
  return { entries, problems };
}
