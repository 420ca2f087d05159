import type { IncomingMessage } from "node:http";
import { findClientAddress, parseTrustedProxies, type TrustedProxies } from "@/lib/auth/client-address";
import { getEnv } from "@/server/env";

/**
 * The TCP peer's address, as our own web server saw it (server/boot/web-server.ts sets it on every
 * request and overwrites whatever a client sent under this name). Route handlers get a web Request,
 * which carries no socket, so this header is how the peer reaches them.
 */
export const PEER_HEADER = "x-sankofa-peer";

export function stampPeerAddress(req: IncomingMessage): void {
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
}

let trustedCache: { text: string; parsed: TrustedProxies } | undefined;

function getTrustedProxies(): TrustedProxies {
  const text = getEnv().TRUSTED_PROXIES;
  if (trustedCache?.text !== text) trustedCache = { text, parsed: parseTrustedProxies(text) };
  return trustedCache.parsed;
}

/** The client address of a request (see lib/auth/client-address.ts), with TRUSTED_PROXIES from the environment unless given. */
export function findRequestClient(headers: { get(name: string): string | null }, trusted: TrustedProxies = getTrustedProxies()): string {
  return findClientAddress({ peer: headers.get(PEER_HEADER), forwardedFor: headers.get("x-forwarded-for"), realIp: headers.get("x-real-ip") }, trusted);
}
