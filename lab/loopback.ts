import type http from "node:http";
import type { AddressInfo, Server } from "node:net";
// The lab's systems stand in for real machines; bound anywhere but loopback they would be
// reachable (and any-password loginable) from the network.
export const LAB_HOST = "127.0.0.1" as const;

/** Throws unless `host` (a bound address or a URL's hostname) is IPv4 loopback. */
export function assertLoopback(host: string, what: string): void {
  if (host !== LAB_HOST) throw new Error(`lab: ${what} must listen on ${LAB_HOST} only, not ${host}`);
}

/** Listens on loopback (port 0: a free one) and answers the port it got. */
export async function listenOnLoopback(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, LAB_HOST, resolve);
  });
  return (server.address() as AddressInfo).port;
}

/** Stops a lab server at once: open keep-alive connections too, so a test's teardown never waits. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
