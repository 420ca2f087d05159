// Configuration values that are secrets even when Junos shows them "encrypted" ($9$ is reversible,
// $1$/$5$/$6$ crypt hashes can be cracked offline), in every text a viewer may read: backups,
// backup diffs, push transcripts, compares and error messages. Two rules, applied line by line:
//
// 1. any token holding `$9$`, `$1$`, `$5$` or `$6$` is masked wherever it stands;
// 2. the value after a secret keyword is masked, in `display set` lines, in the `{ }` form and in
//    `show | compare` output (whose `[edit …]` headers name the hierarchy the lines belong to).
//
// A masked value reads `<masked>`; the keyword, the `;`, the rest of the line and `## SECRET-DATA`
// stay, so a diff of masked texts still shows which secret changed.
//
// The scan is linear in the text: lines are split into tokens by hand, no regex backtracks over them.

const MASK = "<masked>";
const HASH_MARKERS = ["$9$", "$1$", "$5$", "$6$"];

/** Keywords whose next value is the secret (also as the last part of a longer keyword, e.g. `hello-authentication-key`). */
const SECRET_KEYWORDS = new Set([
  "secret",
  "encrypted-password",
  "simple-password",
  "authentication-password",
  "privacy-password",
  "privacy-key",
  "community-name",
  "pap-password",
  "cak",
  "ckn",
]);
const SECRET_SUFFIXES = ["-secret", "-password", "-authentication-key"];
/** `pre-shared-key ascii-text X`, `key hexadecimal X` (IKE, manual IPsec SAs). */
const KEY_FORMATS = new Set(["ascii-text", "hexadecimal"]);
/** The name of an SNMP community is its password; BGP communities (policy and routing options) are not secrets. */
const PUBLIC_COMMUNITY_CONTEXTS = new Set(["policy-options", "routing-options"]);

interface Token {
  start: number;
  end: number;
  text: string;
}

const PUNCTUATION = new Set(["{", "}", ";", "[", "]"]);
const isSpace = (c: string) => c.trim() === "";

/** Words, quoted strings (a quote left open runs to the end of the line) and `{ } ; [ ]`. */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    const start = i;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (PUNCTUATION.has(c)) i++;
    else if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === "\\" ? 2 : 1;
      i = Math.min(i + 1, line.length);
    } else {
      while (i < line.length && !isSpace(line[i]!) && !PUNCTUATION.has(line[i]!) && line[i] !== '"') i++;
    }
    tokens.push({ start, end: i, text: line.slice(start, i) });
  }
  return tokens;
}

const isValue = (t: Token | undefined): t is Token => t !== undefined && !PUNCTUATION.has(t.text) && !t.text.startsWith("#");
const isNumber = (t: Token | undefined) => t !== undefined && /^\d+$/.test(t.text);
const isSecretKeyword = (word: string) => SECRET_KEYWORDS.has(word) || SECRET_SUFFIXES.some((s) => word.endsWith(s) && word !== "plain-text-password");

/** Indexes of the tokens of one line that hold secrets; `context` is the hierarchy the line is in. */
function findSecretTokens(tokens: Token[], context: string[]): Set<number> {
  const secret = new Set<number>();
  const maskNext = (i: number) => {
    if (isValue(tokens[i + 1])) secret.add(i + 1);
  };
  let statementEnd = tokens.findIndex((t) => t.text.startsWith("#") || t.text.startsWith("/*"));
  if (statementEnd === -1) statementEnd = tokens.length;
  const before = new Set(context);
  // The `value` token after each token (for `authentication-key 7 type md5 value X`).
  const valueAfter: number[] = [];
  for (let j = statementEnd - 1, next = -1; j >= 0; j--) {
    valueAfter[j] = next;
    if (tokens[j]!.text === "value") next = j;
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (HASH_MARKERS.some((m) => t.text.includes(m))) secret.add(i);
    if (i >= statementEnd) continue;
    const word = t.text;
    if (word === "authentication-key" || word.endsWith("-authentication-key")) {
      // `authentication-key 7 type md5 value X` (NTP) or `authentication-key X`.
      if (isNumber(tokens[i + 1]) && valueAfter[i] !== -1) maskNext(valueAfter[i]!);
      else maskNext(i);
    } else if (isSecretKeyword(word)) maskNext(i);
    else if (word === "pre-shared-key" && tokens[i + 1] && !KEY_FORMATS.has(tokens[i + 1]!.text)) {
      // `pre-shared-key X`; `pre-shared-key ckn … cak …` (MACsec) is read by the next tokens.
      if (!isSecretKeyword(tokens[i + 1]!.text)) maskNext(i);
    } else if (KEY_FORMATS.has(word) && (before.has("pre-shared-key") || tokens[i - 1]?.text === "key")) maskNext(i);
    else if (word === "key" && isNumber(tokens[i - 1]) && tokens[i - 2]?.text === "md5") maskNext(i);
    else if (word === "trap-group") maskNext(i);
    else if (word === "community" && ![...PUBLIC_COMMUNITY_CONTEXTS].some((c) => before.has(c))) maskNext(i);
    before.add(word);
  }
  // Junos marks the lines of secrets it knows in the `{ }` form: mask their value whatever the keyword.
  if (tokens.slice(statementEnd).some((t) => t.text === "SECRET-DATA")) {
    let last = statementEnd - 1;
    while (last >= 0 && !isValue(tokens[last])) last--;
    if (last >= 0) secret.add(last);
  }
  return secret;
}

/** Replaces secret values in configuration text (set, hierarchical or compare form) with `<masked>`. */
export function maskConfigSecrets(text: string): string {
  // The hierarchy of the current line: the `[edit …]` header of a compare, then the open `{ }` blocks.
  let header: string[] = [];
  const blocks: string[][] = [];
  return text
    .split("\n")
    .map((line) => {
      const tokens = tokenize(line);
      const words = tokens.map((t) => t.text);
      const secret = findSecretTokens(tokens, [...header, ...blocks.flat()]);
      const editAt = words.indexOf("edit");
      if (words[editAt - 1] === "[" && words.includes("]")) {
        header = words.slice(editAt + 1, words.indexOf("]"));
        blocks.length = 0;
      } else {
        let statement: string[] = [];
        for (const w of words) {
          if (w.startsWith("#") || w.startsWith("/*")) break;
          if (w === "{") {
            blocks.push(statement);
            statement = [];
          } else if (w === "}") blocks.pop();
          else if (w === ";") statement = [];
          else statement.push(w);
        }
      }
      if (secret.size === 0) return line;
      let out = "";
      let at = 0;
      tokens.forEach((t, i) => {
        if (!secret.has(i)) return;
        out += line.slice(at, t.start) + MASK;
        at = t.end;
      });
      return out + line.slice(at);
    })
    .join("\n");
}
