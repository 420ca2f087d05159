import { parseDescription } from "../junos/values";

/**
 * The description a panel-managed port carries: `srv-<id>-<name>`, the server's name folded to
 * the characters a plain Junos token allows, so a name from the panel never reaches the switch as
 * free text.
 */
export function buildServerPortDescription(server: { id: number; name: string }): string {
  const name = server.name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-|-$/g, "");
  const base = `srv-${server.id}`;
  return parseDescription(name ? `${base}-${name}`.slice(0, 64).replace(/-$/, "") : base);
}
