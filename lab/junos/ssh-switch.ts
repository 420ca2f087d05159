import { createHash, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import ssh2, { type Connection } from "ssh2";
import { LabCliSession } from "./cli-session";
import type { LabSwitchLinks } from "./links";
import { LabSwitchState, type LabDialect, type LabSwitchFaults } from "./switch-state";

const { Server, utils } = ssh2;

export interface LabSwitchOptions {
  name: string;
  dialect: LabDialect;
  port?: number;
  username?: string;
  password?: string;
  /** OpenSSH public keys allowed to log in (key auth). */
  authorizedKeys?: string[];
  initialConfig?: string;
  /** Where the switch keeps its config and host key across restarts; in memory when unset. */
  dataDir?: string;
  timeScale?: number;
  /** How the switch names the lab site's VLANs (default `VLAN.<id>`), e.g. `v${id}-customers`. */
  vlanName?: (id: number) => string;
  /** What the switch hears over LLDP and bundles with LACP (`show lldp neighbors`, `show lacp interfaces`). */
  links?: LabSwitchLinks;
  /** Which login methods the switch offers (default all three, as Junos does). */
  authMethods?: Array<"password" | "keyboard-interactive" | "publickey">;
}

export interface LabSwitch {
  name: string;
  host: "127.0.0.1";
  port: number;
  username: string;
  password: string;
  /** OpenSSH-style `SHA256:…` of the host key the switch presents now. */
  readonly hostKeyFingerprint: string;
  state: LabSwitchState;
  /** Successful logins: a probe that only learns the host key does not count. */
  readonly logins: number;
  setFaults(faults: LabSwitchFaults): void;
  /** Presents a new host key from now on, as a replaced or impostor switch would. */
  replaceHostKey(): Promise<void>;
  close(): Promise<void>;
}

/** How to log in to a lab switch, as plain values (to register it in the console, or hand it to another process). */
export interface LabSwitchLogin {
  name: string;
  host: string;
  port: number;
  username: string;
  password: string;
  hostKeyFingerprint: string;
}

export function describeLabSwitchLogin(sw: LabSwitch): LabSwitchLogin {
  return { name: sw.name, host: sw.host, port: sw.port, username: sw.username, password: sw.password, hostKeyFingerprint: sw.hostKeyFingerprint };
}

export function fingerprintOf(publicSsh: Buffer): string {
  return `SHA256:${createHash("sha256").update(publicSsh).digest("base64").replace(/=+$/, "")}`;
}

function newHostKey(): string {
  // ssh2's generator drops a leading zero byte of the public key about once in 256 keys and then
  // cannot parse its own output; draw again rather than fail a test by chance.
  for (;;) {
    const key = utils.generateKeyPairSync("ed25519").private;
    if (!(utils.parseKey(key) instanceof Error)) return key;
  }
}

function isEqualText(a: string, b: string): boolean {
  const x = createHash("sha256").update(a).digest();
  const y = createHash("sha256").update(b).digest();
  return timingSafeEqual(x, y);
}

export async function startLabSwitch(opts: LabSwitchOptions): Promise<LabSwitch> {
  const username = opts.username ?? "sankofa";
  const password = opts.password ?? "lab-switch-password";
  const files = opts.dataDir ? { conf: path.join(opts.dataDir, `${opts.name}.conf`), key: path.join(opts.dataDir, `${opts.name}.key`) } : undefined;
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  let hostKey = files && existsSync(files.key) ? readFileSync(files.key, "utf8") : newHostKey();
  if (files) writeFileSync(files.key, hostKey, { mode: 0o600 });
  const initial = files && existsSync(files.conf) ? readFileSync(files.conf, "utf8") : (opts.initialConfig ?? `set system host-name ${opts.name}`);
  const state = new LabSwitchState(
    opts.name,
    opts.dialect,
    initial,
    opts.timeScale ?? 1,
    (s) => {
      if (files) writeFileSync(files.conf, `${s.displaySet()}\n`);
    },
    opts.vlanName,
  );
  if (opts.links) state.links = opts.links;
  const allowedKeys = (opts.authorizedKeys ?? []).map((k) => utils.parseKey(k)).filter((k): k is ssh2.ParsedKey => !(k instanceof Error));
  const connections = new Set<Connection>();
  const methods = new Set<"password" | "keyboard-interactive" | "publickey">(opts.authMethods ?? ["password", "keyboard-interactive", "publickey"]);
  let logins = 0;

  const onClient = (client: Connection) => {
    connections.add(client);
    // Interactive CLI traffic is many small packets: Nagle plus delayed ACKs would add ~40 ms each.
    (client as Connection & { setNoDelay(v: boolean): void }).setNoDelay(true);
    client.on("close", () => connections.delete(client));
    client.on("error", () => {});
    let user = "";
    client.on("authentication", (ctx) => {
      user = ctx.username;
      if (state.faults.refuseAuth || ctx.username !== username) return ctx.reject();
      if (!methods.has(ctx.method as "password")) return ctx.reject([...methods]);
      if (ctx.method === "password") return isEqualText(ctx.password, password) ? ctx.accept() : ctx.reject();
      if (ctx.method === "keyboard-interactive") {
        return ctx.prompt([{ prompt: "Password:", echo: false }], (answers) => (isEqualText(answers[0] ?? "", password) ? ctx.accept() : ctx.reject()));
      }
      if (ctx.method === "publickey") {
        const key = allowedKeys.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
        if (!key) return ctx.reject();
        if (!ctx.signature) return ctx.accept();
        return key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) ? ctx.accept() : ctx.reject();
      }
      return ctx.reject([...methods]);
    });
    client.on("ready", () => {
      logins++;
      client.on("session", (acceptSession) => {
        const session = acceptSession();
        session.on("pty", (accept) => accept?.());
        session.on("window-change", (accept) => accept?.());
        session.on("shell", (acceptShell) => {
          const stream = acceptShell();
          // A switch sends a command's echo, output and prompt together; coalesce our writes likewise.
          let pending = "";
          const flush = () => {
            if (pending) stream.write(pending);
            pending = "";
          };
          const cli = new LabCliSession(state, user, {
            write: (text) => {
              if (!pending) setImmediate(flush);
              pending += text.replace(/\n/g, "\r\n");
            },
            close: () => {
              flush();
              stream.end();
              client.end();
            },
          });
          stream.on("data", (d: Buffer) => cli.input(d.toString("utf8")));
          stream.on("close", () => cli.end());
        });
      });
    });
  };

  let server = new Server({ hostKeys: [hostKey] }, onClient);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
    });
  const port = await listen(opts.port ?? 0);
  const closeServer = () =>
    new Promise<void>((resolve) => {
      for (const c of connections) c.end();
      server.close(() => resolve());
    });

  const fingerprint = () => {
    const parsed = utils.parseKey(hostKey);
    if (parsed instanceof Error) throw parsed;
    return fingerprintOf(parsed.getPublicSSH());
  };

  return {
    name: opts.name,
    host: "127.0.0.1",
    port,
    username,
    password,
    get hostKeyFingerprint() {
      return fingerprint();
    },
    state,
    get logins() {
      return logins;
    },
    setFaults: (faults) => {
      state.faults = faults;
    },
    replaceHostKey: async () => {
      await closeServer();
      hostKey = newHostKey();
      if (files) writeFileSync(files.key, hostKey, { mode: 0o600 });
      server = new Server({ hostKeys: [hostKey] }, onClient);
      await listen(port);
    },
    close: async () => {
      state.stopTimers();
      await closeServer();
    },
  };
}
