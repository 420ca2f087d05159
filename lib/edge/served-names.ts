/**
 * The names we serve publicly, as far as we know them: IPAM hostnames (active or planned) that
 * are full names under a zone NPM already publishes. Without a DNS zone source this is the best
 * list we have; a name outside those zones is not judged.
 */
export function findServedNames(hostnames: string[], npmDomains: string[]): string[] {
  const zones = new Set(listServedZones(npmDomains));
  return [...new Set(hostnames.map((h) => h.trim().toLowerCase()).filter((h) => h.includes(".") && zones.has(h.slice(h.indexOf(".") + 1))))];
}

/** The zones NPM publishes: a host's zone is its parent ("portal.demo.sankofa" → "demo.sankofa"); a wildcard's is what follows "*.". */
export function listServedZones(npmDomains: string[]): string[] {
  return [
    ...new Set(
      npmDomains
        .map((d) => d.trim().toLowerCase())
        .map((d) => (d.startsWith("*.") ? d.slice(2) : d.slice(d.indexOf(".") + 1)))
        .filter((z) => z.includes(".")),
    ),
  ];
}
