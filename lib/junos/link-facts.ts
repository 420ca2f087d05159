import { parseLacpInterfaces, type LacpBundle } from "./lacp-interfaces";
import { parseLldpNeighbors, type LldpNeighbor } from "./lldp-neighbors";

/**
 * What a backup run read of a switch's links, stored with that backup: its LLDP neighbours and ae
 * membership, each either read (with the lines that could not be, as problems) or failed (the error,
 * in words). A failed read never fails the backup.
 */
export interface SwitchLinkFacts {
  lldp: { neighbors: LldpNeighbor[]; problems: string[] } | { error: string };
  lacp: { bundles: LacpBundle[]; problems: string[] } | { error: string };
}

/** The two answers (or why each could not be had) as stored facts. */
export function computeSwitchLinkFacts(lldp: { text: string } | { error: string }, lacp: { text: string } | { error: string }): SwitchLinkFacts {
  return {
    lldp: "error" in lldp ? { error: lldp.error } : parseLldpNeighbors(lldp.text),
    lacp: "error" in lacp ? { error: lacp.error } : parseLacpInterfaces(lacp.text),
  };
}
