import { AppError } from "../errors";

export const VLAN_MIN = 1;
export const VLAN_MAX = 4094;

/**
 * "13, 14,200" → [13, 14, 200] (sorted, unique). Empty means every VLAN is allowed.
 * A bad token is an error naming it, so the admin sees exactly what to fix.
 */
export function parseVlanAllowlist(text: string): number[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  const ids = new Set<number>();
  for (const raw of trimmed.split(",")) {
    const token = raw.trim();
    if (!/^\d{1,4}$/.test(token)) {
      throw new AppError("BAD_REQUEST", `VLAN allowlist: "${token}" is not a VLAN ID (whole numbers ${VLAN_MIN}–${VLAN_MAX}, comma-separated)`, {
        field: "vlanAllowlist",
      });
    }
    const id = Number(token);
    if (id < VLAN_MIN || id > VLAN_MAX) {
      throw new AppError("BAD_REQUEST", `VLAN allowlist: "${token}" is out of range (${VLAN_MIN}–${VLAN_MAX})`, { field: "vlanAllowlist" });
    }
    ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

export function formatVlanAllowlist(ids: readonly number[]): string {
  return ids.join(", ");
}

/** The allowlist rule of the port-security loop: an empty list allows every VLAN. */
export function isVlanAllowed(allowlist: readonly number[], vlanId: number): boolean {
  return allowlist.length === 0 || allowlist.includes(vlanId);
}
