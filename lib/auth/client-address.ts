import ipaddr from "ipaddr.js";
import { AppError } from "../errors";

// Who is asking, for sign-in throttling and the audit log. The TCP peer is the only address nobody
// can choose freely; `X-Forwarded-For` / `X-Real-IP` are text any client can send. They are read only
// when the peer is a proxy the operator named (TRUSTED_PROXIES), and then from the right: each
// trusted proxy appends the address it saw, so the right-most hop that is not one of ours is the
// client, and everything left of it is what that client claimed (MDN, X-Forwarded-For, "Selecting
// an IP address"; OWASP: never key a limit on a header the client controls).

export type TrustedProxies = ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

/** `10.0.0.5, 10.1.0.0/16, fd00::/8` → ranges; a bad token is an error naming it. Empty: none. */
export function parseTrustedProxies(text: string): TrustedProxies {
  const out: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  for (const raw of text.split(",")) {
    const token = raw.trim();
    if (token === "") continue;
    try {
      if (token.includes("/")) out.push(ipaddr.parseCIDR(token));
      else {
        const addr = ipaddr.parse(token);
        out.push([addr, addr.kind() === "ipv4" ? 32 : 128]);
      }
    } catch {
      throw new AppError("BAD_REQUEST", `TRUSTED_PROXIES: "${token}" is not an IP address or a CIDR range`, { field: "TRUSTED_PROXIES" });
    }
  }
  return out;
}

/** A canonical address (IPv4-mapped IPv6 as plain IPv4), or null when the text is not one address. */
export function parseHopAddress(text: string | undefined | null): ipaddr.IPv4 | ipaddr.IPv6 | null {
  let t = (text ?? "").trim();
  // A hop may carry a port (`203.0.113.7:4711`, `[2001:db8::1]:4711`) as some proxies write it.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(t);
  if (bracketed) t = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(t)) t = t.slice(0, t.lastIndexOf(":"));
  if (!ipaddr.isValid(t) || (!t.includes(":") && !ipaddr.IPv4.isValidFourPartDecimal(t))) return null;
  const addr = ipaddr.parse(t);
  return addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
}

function isTrusted(addr: ipaddr.IPv4 | ipaddr.IPv6, trusted: TrustedProxies): boolean {
  return trusted.some(([range, bits]) => range.kind() === addr.kind() && addr.match(range, bits));
}

const show = (addr: ipaddr.IPv4 | ipaddr.IPv6) => (addr.kind() === "ipv6" ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString());

/**
 * The client's address: the peer itself unless it is a trusted proxy; then the right-most
 * `X-Forwarded-For` hop that is not trusted (or `X-Real-IP`, when the proxy sends only that).
 * A hop that is not an address stops the walk at the proxy that passed it on: a client cannot pick
 * its own bucket by writing nonsense. An unknown peer (no socket address: not our web server) is
 * "unknown", and its headers are not read.
 */
export function findClientAddress(
  request: { peer: string | null | undefined; forwardedFor?: string | null; realIp?: string | null },
  trusted: TrustedProxies,
): string {
  const peer = parseHopAddress(request.peer);
  if (!peer) return "unknown";
  if (!isTrusted(peer, trusted)) return show(peer);
  const hops = (request.forwardedFor ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  if (hops.length === 0) {
    const real = parseHopAddress(request.realIp);
    return real ? show(real) : show(peer);
  }
  let nearest = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHopAddress(hops[i]);
    if (!hop) return show(nearest);
    if (!isTrusted(hop, trusted)) return show(hop);
    nearest = hop;
  }
  // Every hop is one of our proxies: the left-most is as near the client as we can tell.
  return show(nearest);
}
