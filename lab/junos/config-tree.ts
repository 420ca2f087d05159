// The lab switch's configuration: a tree built from `set` statements, rendered the ways Junos
// renders it (hierarchical, `| display set`) and compared the way `show | compare` does.

/** Keywords that take one argument and name an entry: `interface ge-0/0/1.0`, `static-ip 10.0.0.1`. */
const NAMED = new Set(["interface", "static-ip", "static-ipv6", "group", "unit", "community", "family", "user", "address"]);
/** Containers whose children are bare names: `vlans VLAN.13 …`, `interfaces ge-0/0/1 …`. */
const NAME_LISTS = new Set(["vlans", "interfaces"]);
/** Leaves: `keyword value` (or a bare flag); further tokens on the line are sibling leaves. */
const LEAVES_WITH_VALUE = new Set(["vlan", "mac", "mac-limit", "host-name", "vlan-id", "description", "authorization", "screen-length", "members"]);
const FLAGS = new Set(["dhcp-trusted", "arp-inspection", "examine-dhcp", "no-gratuitous-arp-request"]);

export interface Node {
  key: string;
  children: Map<string, Node>;
  isLeaf: boolean;
}

export function createRoot(): Node {
  return { key: "", children: new Map(), isLeaf: false };
}

/** Splits statement tokens into node keys: a chain of containers, then one or more leaves. */
export function splitStatement(tokens: string[]): { chain: string[]; leaves: string[] } {
  const chain: string[] = [];
  let i = 0;
  let parentIsNameList = false;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (parentIsNameList) {
      chain.push(t);
      i += 1;
      parentIsNameList = false;
      continue;
    }
    // `family ethernet-switching vlan members V`: here `vlan` is a container (Junos's interface
    // VLAN membership), not the `vlan V` leaf of a static-ip binding.
    if (t === "vlan" && tokens[i + 1] === "members") {
      chain.push(t);
      i += 1;
      continue;
    }
    if (LEAVES_WITH_VALUE.has(t) || FLAGS.has(t)) break;
    if (NAMED.has(t)) {
      chain.push(tokens[i + 1] === undefined ? t : `${t} ${tokens[i + 1]}`);
      i += 2;
      continue;
    }
    parentIsNameList = NAME_LISTS.has(t);
    chain.push(t);
    i += 1;
  }
  const leaves: string[] = [];
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (FLAGS.has(t) || tokens[i + 1] === undefined) {
      leaves.push(t);
      i += 1;
    } else {
      leaves.push(`${t} ${tokens[i + 1]}`);
      i += 2;
    }
  }
  return { chain, leaves };
}

function leafKeyword(key: string): string {
  return key.split(" ")[0]!;
}

export function setStatement(root: Node, tokens: string[]): void {
  const { chain, leaves } = splitStatement(tokens);
  let node = root;
  for (const key of chain) {
    let child = node.children.get(key);
    if (!child || child.isLeaf) {
      child = { key, children: new Map(), isLeaf: false };
      node.children.set(key, child);
    }
    node = child;
  }
  for (const leaf of leaves) {
    // A leaf holds one value: setting `mac X` replaces the old `mac Y`.
    for (const k of node.children.keys()) if (leafKeyword(k) === leafKeyword(leaf) && !FLAGS.has(leaf)) node.children.delete(k);
    node.children.set(leaf, { key: leaf, children: new Map(), isLeaf: true });
  }
}

/**
 * Deletes the subtree at the path. A path ending in a keyword without its argument (`… static-ip`)
 * deletes every entry of that keyword. Returns false when nothing matched ("statement not found").
 */
export function deleteStatement(root: Node, tokens: string[]): boolean {
  const { chain, leaves } = splitStatement(tokens);
  const keys = [...chain, ...leaves];
  const last = keys.pop();
  if (last === undefined) return false;
  let node: Node | undefined = root;
  for (const key of keys) node = node?.children.get(key);
  if (!node) return false;
  const victims = [...node.children.keys()].filter(
    (k) => k === last || (NAMED.has(last) && k.startsWith(`${last} `)) || (!last.includes(" ") && leafKeyword(k) === last && node!.children.get(k)!.isLeaf),
  );
  for (const v of victims) node.children.delete(v);
  return victims.length > 0;
}

export function cloneTree(node: Node): Node {
  return { key: node.key, isLeaf: node.isLeaf, children: new Map([...node.children].map(([k, v]) => [k, cloneTree(v)])) };
}

export function renderDisplaySet(root: Node): string[] {
  const out: string[] = [];
  const walk = (node: Node, path: string[]) => {
    if (node.isLeaf || node.children.size === 0) {
      if (path.length) out.push(`set ${path.join(" ")}`);
      return;
    }
    for (const child of node.children.values()) walk(child, [...path, child.key]);
  };
  walk(root, []);
  return out;
}

function quote(key: string): string {
  return key
    .split(" ")
    .map((t) => (t === "" ? '""' : t))
    .join(" ");
}

export function renderHierarchy(node: Node, indent = 0, marker = " "): string[] {
  const pad = " ".repeat(indent);
  const out: string[] = [];
  for (const child of node.children.values()) {
    if (child.isLeaf || child.children.size === 0) out.push(`${marker}${pad}${quote(child.key)};`);
    else out.push(`${marker}${pad}${quote(child.key)} {`, ...renderHierarchy(child, indent + 4, marker), `${marker}${pad}}`);
  }
  return out;
}

/** `show | compare`: sections `[edit path]` with `-`/`+` lines, as Junos prints them. */
export function renderCompare(active: Node, candidate: Node): string {
  const out: string[] = [];
  const walk = (a: Node, c: Node, path: string[]) => {
    const lines: string[] = [];
    for (const [k, an] of a.children) if (!c.children.has(k)) lines.push(...renderSubtree(an, "-"));
    for (const [k, cn] of c.children) if (!a.children.has(k)) lines.push(...renderSubtree(cn, "+"));
    if (lines.length) out.push(`[edit${path.length ? ` ${path.join(" ")}` : ""}]`, ...lines);
    for (const [k, an] of a.children) {
      const cn = c.children.get(k);
      if (cn && !an.isLeaf && !cn.isLeaf) walk(an, cn, [...path, k]);
    }
  };
  walk(active, candidate, []);
  return out.join("\n");
}

function renderSubtree(node: Node, marker: string): string[] {
  if (node.isLeaf || node.children.size === 0) return [`${marker}    ${quote(node.key)};`];
  return [`${marker}    ${quote(node.key)} {`, ...renderHierarchy(node, 8, marker), `${marker}    }`];
}

export function isSameTree(a: Node, b: Node): boolean {
  return renderDisplaySet(a).join("\n") === renderDisplaySet(b).join("\n");
}
