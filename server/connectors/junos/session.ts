import ssh2, { type ClientChannel } from "ssh2";
import { classifyOutput, JunosError } from "@/lib/junos/errors";
import { JunosCli } from "./cli";
import { fingerprintHostKey } from "./host-key";

export interface JunosTarget {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
  /** The approved `SHA256:…` fingerprint; undefined on first contact (the key is then only recorded). */
  hostKeyFingerprint?: string;
}

export interface SessionOptions {
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Commit steps are slow on big configs; they get their own limit. */
  commitTimeoutMs?: number;
}

export interface JunosSession {
  /** The fingerprint the switch presented. */
  hostKeyFingerprint: string;
  cli: JunosCli;
  /** Runs a command and throws a classified JunosError when the switch refuses it. */
  run(command: string, opts?: { timeoutMs?: number; allowError?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/**
 * Opens an SSH shell to a Junos switch: host key checked against the pinned fingerprint before any
 * credential is sent, keepalives on, curve25519/ECDH key exchange first (group-exchange has stalled
 * connects for 20–30 s: ssh2 #1031), paging off.
 */
export async function openJunosSession(target: JunosTarget, opts: SessionOptions = {}): Promise<JunosSession> {
  const client = new ssh2.Client();
  let presented = "";
  let keyMismatch = false;
  const commandTimeoutMs = opts.commandTimeoutMs ?? 30_000;

  const stream = await new Promise<ClientChannel>((resolve, reject) => {
    const fail = (e: Error) => {
      client.end();
      if (keyMismatch) return reject(new JunosError("host-key", `host key ${presented} is not the approved ${target.hostKeyFingerprint}: refusing to connect`));
      const level = (e as Error & { level?: string }).level;
      if (level === "client-authentication") return reject(new JunosError("auth", `the switch refused the credentials for ${target.username}`));
      if (level === "client-timeout" || /timed out/i.test(e.message))
        return reject(new JunosError("timeout", `no SSH handshake with ${target.host}:${target.port} in time`));
      reject(new JunosError("connection", `cannot reach ${target.host}:${target.port}: ${e.message}`));
    };
    client.once("error", fail);
    client.once("ready", () => {
      client.shell({ term: "vt100", cols: 200, rows: 24 }, (err, channel) => (err ? fail(err) : resolve(channel)));
    });
    client.on("keyboard-interactive", (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => target.password ?? "")));
    client.once("connect", () => {
      // A CLI exchange is many small packets: Nagle plus delayed ACKs cost ~40 ms per command.
      (client as ssh2.Client & { setNoDelay(v: boolean): void }).setNoDelay(true);
    });
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      password: target.password,
      privateKey: target.privateKey,
      tryKeyboard: true,
      readyTimeout: opts.connectTimeoutMs ?? 15_000,
      keepaliveInterval: 10_000,
      keepaliveCountMax: 3,
      algorithms: { kex: ["curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521"] },
      hostVerifier: (key: Buffer) => {
        presented = fingerprintHostKey(key);
        keyMismatch = target.hostKeyFingerprint !== undefined && presented !== target.hostKeyFingerprint;
        return !keyMismatch;
      },
    });
  });

  const cli = new JunosCli(stream);
  const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
  const run: JunosSession["run"] = async (command, runOpts = {}) => {
    const output = await cli.run(command, runOpts.timeoutMs ?? commandTimeoutMs);
    const error = runOpts.allowError ? null : classifyOutput(command, output);
    if (error) throw error;
    return output;
  };
  try {
    await cli.readUntilPrompt(commandTimeoutMs, "login");
    await run("set cli screen-length 0");
    await run("set cli screen-width 0");
  } catch (e) {
    client.end();
    throw e;
  }
  return {
    hostKeyFingerprint: presented,
    cli,
    run,
    close: async () => {
      client.end();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
    },
  };
}
