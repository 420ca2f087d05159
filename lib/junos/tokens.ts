/** Splits one Junos CLI/config line into tokens; a double-quoted value is one token. */
export function tokenizeJunosLine(line: string): string[] {
  const tokens: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) tokens.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]!);
  return tokens;
}

export function startsWithPath(path: readonly string[], prefix: ReadonlyArray<string | null>): boolean {
  // `null` in a prefix matches any one token (a VLAN or group name).
  return prefix.length <= path.length && prefix.every((p, i) => p === null || p === path[i]);
}
