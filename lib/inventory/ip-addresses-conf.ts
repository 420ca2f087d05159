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

// Scanned, not matched with regexes such as /\s+#.*$/: those backtrack over every run of
// whitespace and take quadratic time on a long line (40,000 spaces took seconds). Every helper
// below reads a line a bounded number of times. Whitespace and line terminators are exactly
// JavaScript's `\s` and `.`-excluded characters, so the rules read as the shell-like ones before.
const isWhitespace = (c: string | undefined) => c !== undefined && c.trim() === "";
const isLineTerminator = (c: string) => c === "\n" || c === "\r" || c === "\u2028" || c === "\u2029";
const isKeyStart = (c: string | undefined) => c !== undefined && ((c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c === "_");
const isKeyChar = (c: string | undefined) => isKeyStart(c) || (c !== undefined && c >= "0" && c <= "9");

function hasLineTerminator(s: string, from = 0): boolean {
  for (let i = from; i < s.length; i++) if (isLineTerminator(s[i]!)) return true;
  return false;
}

/** `KEY=` at `from`: the index after `=`, or -1. */
function keyEnd(t: string, from: number): number {
  if (!isKeyStart(t[from])) return -1;
  let i = from + 1;
  while (isKeyChar(t[i])) i++;
  return t[i] === "=" ? i + 1 : -1;
}

/** `[export ]KEY=value` (the line trimmed); the value runs to the end of the line. */
function readAssignment(t: string): { key: string; rawValue: string } | undefined {
  let start = 0;
  if (t.startsWith("export") && isWhitespace(t[6])) {
    let i = 6;
    while (isWhitespace(t[i])) i++;
    if (keyEnd(t, i) !== -1) start = i;
  }
  const end = keyEnd(t, start);
  if (end === -1 || hasLineTerminator(t, end)) return undefined;
  return { key: t.slice(start, end - 1), rawValue: t.slice(end) };
}

/** Whitespace, then `#` and a comment to the end of the line. */
function isTrailingComment(s: string): boolean {
  let i = 0;
  while (isWhitespace(s[i])) i++;
  return i > 0 && s[i] === "#" && !hasLineTerminator(s, i + 1);
}

/** `v` (trimmed) without a trailing ` # comment`: the first `#` after whitespace that ends the line. */
function stripComment(v: string): string {
  let lastTerminator = -1;
  for (let i = 0; i < v.length; i++) if (isLineTerminator(v[i]!)) lastTerminator = i;
  for (let i = Math.max(1, lastTerminator + 1); i < v.length; i++) {
    if (v[i] === "#" && isWhitespace(v[i - 1])) return v.slice(0, i).trimEnd();
  }
  return v;
}

function unquote(raw: string): string | undefined {
  const v = raw.trim();
  const quote = v[0];
  if (quote === '"' || quote === "'") {
    const close = v.indexOf(quote, 1);
    if (close !== -1) {
      const rest = v.slice(close + 1);
      if (rest === "" || isTrailingComment(rest)) return v.slice(1, close);
    }
  }
  const value = stripComment(v);
  for (const c of value) if (c === '"' || c === "'" || c === "$" || c === "`" || c === "\\") return undefined;
  return value;
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
    const assignment = readAssignment(t);
    if (!assignment) return problems.push({ line, text: raw, message: "not a KEY=value assignment" });
    const { key, rawValue } = assignment;
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
