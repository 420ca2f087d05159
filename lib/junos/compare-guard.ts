import { bindingSubtreePrefixes, type JunosDialect } from "./dialect";
import { startsWithPath, tokenizeJunosLine } from "./tokens";

/**
 * Reads Junos `show | compare` output and returns every changed statement that lies outside the
 * binding subtrees of the planned ports. An empty result means the candidate changes nothing else.
 */
export function findForeignChanges(
  compare: string,
  opts: { dialect: JunosDialect; interfaces: readonly string[]; describedInterfaces?: readonly string[] },
): string[] {
  const allowed: Array<Array<string | null>> = [
    ...opts.interfaces.flatMap((i) => bindingSubtreePrefixes(opts.dialect, i)),
    ...(opts.describedInterfaces ?? []).map((i) => ["interfaces", i, "description"]),
  ];
  const foreign: string[] = [];
  let section: string[] = [];
  const stack: string[][] = [];
  for (const raw of compare.split(/\r?\n/)) {
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) continue;
    const edit = /^\[edit(.*)\]$/.exec(raw.trim());
    if (edit) {
      section = tokenizeJunosLine(edit[1]!);
      stack.length = 0;
      continue;
    }
    const marker = raw[0];
    const isChanged = marker === "+" || marker === "-";
    const content = (isChanged ? raw.slice(1) : raw).trim().replace(/^(inactive|protect): /, "");
    if (content === "}") {
      stack.pop();
      continue;
    }
    if (content.endsWith("{")) {
      stack.push(tokenizeJunosLine(content.slice(0, -1)));
      continue;
    }
    if (!isChanged) continue;
    const statement = tokenizeJunosLine(content.replace(/;$/, ""));
    const path = [...section, ...stack.flat(), ...statement];
    if (!allowed.some((prefix) => startsWithPath(path, prefix))) foreign.push(`${marker} ${path.join(" ")}`);
  }
  return foreign;
}
