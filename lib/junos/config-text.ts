/**
 * Configuration text as compared and hashed: Junos stamps `## Last commit: …` comments on every
 * `show configuration`, so two backups of an unchanged switch differ only there.
 */
export function normalizeConfigText(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .join("\n");
}
