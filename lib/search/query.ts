import ipaddr from "ipaddr.js";
import { normalizeMac, normalizeMacPrefix } from "../net/mac";

/**
 * What a search box's text can be, read once: each reading becomes one indexed look-up in the
 * database. A text can have several readings (`4021` is a VMID, a server id, a VLAN id and part of a
 * name), and every one is asked.
 */
export interface SearchQuery {
  text: string;
  /** A host address, canonical (RFC 5952 for IPv6). */
  ip?: string;
  /** A network (`10.0.48.0/24`), canonical. */
  cidr?: string;
  mac?: string;
  /** The canonical beginning of a MAC (`aa:bb:c`). */
  macPrefix?: string;
  /** A whole number: VMID, Tenantos server id, VLAN id, invoice or licence number. */
  number?: number;
  /** An invoice's number as the billing page shows it (`42`, `#42`, `invoice 42`, `INV-42`). */
  invoiceNumber?: number;
  /** A licence's number as the licences page shows it (`12`, `licence 12`, `license #12`, `LIC-12`). */
  licenceNumber?: number;
  /** `sw1 ge-0/0/4`, `sw1:ge-0/0/4`: a switch name and the beginning of an interface. */
  switchPort?: { switchName: string; interface: string };
  /** An interface name alone (`ge-0/0/4`, `ae0`). */
  interface?: string;
}

const INTERFACE = /^(?:[a-z]{2,4}-\d+\/\d+\/\d+(?:\.\d+)?|ae\d+(?:\.\d+)?|irb(?:\.\d+)?|vlan(?:\.\d+)?)$/i;

// The billing pages show invoices and licences by number (`#` column, "licence 12"): what finance
// copies from them, with or without the word and a `#` or `-`.
const BILLING_NUMBER = /^(?:(invoice|inv|licen[cs]e|lic)\s*[-#]?\s*|(#)\s*)?(\d{1,9})$/i;

export const SEARCH_MAX_LENGTH = 200;

export function parseSearchQuery(raw: string): SearchQuery {
  const text = raw.trim().replace(/\s+/g, " ").slice(0, SEARCH_MAX_LENGTH);
  const q: SearchQuery = { text };
  if (!text) return q;
  const ip = readHostAddress(text);
  if (ip) q.ip = ip;
  const cidr = readNetwork(text);
  if (cidr) q.cidr = cidr;
  const mac = normalizeMac(text);
  if (mac) q.mac = mac;
  else {
    const prefix = normalizeMacPrefix(text);
    if (prefix) q.macPrefix = prefix;
  }
  if (/^\d{1,9}$/.test(text)) q.number = Number(text);
  const billing = BILLING_NUMBER.exec(text);
  if (billing) {
    const [, word, hash, digits] = billing;
    const n = Number(digits);
    // `#42` is the invoices table's `#` column.
    if (hash || !word || /^inv/i.test(word)) q.invoiceNumber = n;
    if (!hash && (!word || /^lic/i.test(word))) q.licenceNumber = n;
  }
  const parts = text.split(/[ :]/);
  if (parts.length === 2 && parts[0] && parts[1] && /^[\w.-]+$/.test(parts[0]) && /^[a-z]{2,4}-[\d/.]*$|^ae[\d.]*$/i.test(parts[1])) {
    q.switchPort = { switchName: parts[0], interface: parts[1].toLowerCase() };
  }
  if (INTERFACE.test(text)) q.interface = text.toLowerCase();
  return q;
}

function readHostAddress(text: string): string | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text).toString();
  if (/^[0-9a-f:.]+$/i.test(text) && text.includes(":") && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text).toRFC5952String();
  return undefined;
}

function readNetwork(text: string): string | undefined {
  if (!text.includes("/")) return undefined;
  try {
    const [addr, bits] = ipaddr.parseCIDR(text);
    const network = addr.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
    const shown = network.kind() === "ipv6" ? (network as ipaddr.IPv6).toRFC5952String() : network.toString();
    return `${shown}/${bits}`;
  } catch {
    return undefined;
  }
}
