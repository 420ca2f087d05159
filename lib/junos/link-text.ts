// Shared checks for what `show lldp neighbors` and `show lacp interfaces` print. What a switch says
// about its neighbours is stored and shown, never sent to a switch again: these checks keep the
// interface names to the Junos grammar and every other value to one printable line.

/**
 * A Junos interface name: `ge-0/0/1`, `xe-0/0/0:2` (channelised), `ae0`, `em0`, with an optional
 * logical unit (`.0`), which the caller strips. Anything else in an interface column is refused.
 */
const INTERFACE = /^(?:[a-z]{2,4}-\d{1,3}\/\d{1,3}\/\d{1,3}(?::\d{1,3})?|ae\d{1,4}|(?:em|me|fxp|vme)\d{1,3})(?:\.\d{1,5})?$/;

export function isJunosInterfaceName(s: string): boolean {
  return INTERFACE.test(s);
}

/** The physical interface of `ge-0/0/1.0` (or of `ae0.0`): the unit is where non-ELS Junos prints it. */
export function stripUnit(name: string): string {
  return name.replace(/\.\d+$/, "");
}

/** A neighbour's free text (chassis id, port info, system name): printable, one line, bounded. */
export function isPrintableValue(s: string): boolean {
  return s.length > 0 && s.length <= 255 && /^[\x20-\x7e]+$/.test(s);
}

/** A line as quoted in a problem: trimmed, control characters shown, bounded. */
export function quoteLine(line: string): string {
  const t = line.trim();
  return JSON.stringify(t.length > 120 ? `${t.slice(0, 117)}...` : t);
}
