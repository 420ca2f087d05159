import ssh2 from "ssh2";
import { JunosError } from "@/lib/junos/errors";
import { fingerprintHostKey } from "./host-key";

/**
 * Learns a switch's host key without logging in: the connection is dropped right after the key
 * exchange, so no credential ever reaches a key nobody has approved yet.
 */
export function probeHostKey(target: { host: string; port: number }, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let presented: string | undefined;
    client.on("error", (e) => {
      client.end();
      if (presented) resolve(presented);
      else reject(new JunosError("connection", `cannot reach ${target.host}:${target.port}: ${e.message}`));
    });
    client.on("ready", () => {
      client.end();
      reject(new JunosError("host-key", "the switch accepted a connection whose host key was refused"));
    });
    client.connect({
      host: target.host,
      port: target.port,
      username: "probe",
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        presented = fingerprintHostKey(key);
        return false;
      },
    });
  });
}
