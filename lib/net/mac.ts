/**
 * MACs as people paste them: `AA:BB:CC:DD:EE:FF`, `aa-bb-cc-dd-ee-ff`, Cisco's `aabb.ccdd.eeff`,
 * bare `AABBCCDDEEFF`, or the beginning of any of these. Stored MACs are canonical
 * (`aa:bb:cc:dd:ee:ff`), so a search is an equality or a prefix on the canonical text.
 */

const FULL_FORMS = [
  /^([0-9a-f]{2})([:-])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/i,
  /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/i,
  /^([0-9a-f]{12})$/i,
];

/** A whole MAC in any usual notation → `aa:bb:cc:dd:ee:ff`; null when it is not one. */
export function normalizeMac(text: string): string | null {
  const t = text.trim();
  if (!FULL_FORMS.some((f) => f.test(t))) return null;
  return toColonForm(t.replace(/[:.-]/g, ""));
}

/**
 * The beginning of a MAC → the canonical text it starts with (`AABB.CC` → `aa:bb:cc`), or null.
 * A bare run of hex needs 6 digits (so "cafe" or a VMID is not read as a MAC) unless it has
 * separators in a MAC's places; 2 digits at least either way.
 */
export function normalizeMacPrefix(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (normalizeMac(t)) return normalizeMac(t);
  const isColonOrDash = /^[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1)*[0-9a-f]{1,2}\1?$/.test(t);
  const isDotted = /^[0-9a-f]{4}(?:\.[0-9a-f]{4}){0,2}(?:\.[0-9a-f]{1,4})?\.?$/.test(t) && t.includes(".");
  const isBare = /^[0-9a-f]{6,11}$/.test(t) && /[a-f]/.test(t);
  if (!isColonOrDash && !isDotted && !isBare) return null;
  const hex = t.replace(/[:.-]/g, "");
  if (hex.length < 2 || hex.length > 12) return null;
  return toColonForm(hex);
}

function toColonForm(hex: string): string {
  return (hex.toLowerCase().match(/.{1,2}/g) ?? []).join(":");
}
