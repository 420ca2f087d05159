import { startLabSwitch, type LabSwitch, type LabSwitchOptions } from "./junos/ssh-switch";
import { assertLoopback } from "./loopback";
import type { OidcLab } from "./oidc";
import { startLabProxmox, type LabProxmox, type LabProxmoxWorld } from "./proxmox";
import { startLabTenantos, type LabTenantos, type LabTenantosWorld } from "./tenantos";
import { startLabNpm, type LabNpm, type LabNpmOptions } from "./npm";
import { startLabUnifi, type LabUnifi, type LabUnifiOptions } from "./unifi";

// The simulated world: each outside system the controller talks to, on loopback, started on
// demand: OIDC, Junos switches (SSH), Tenantos and Proxmox (HTTP), the UniFi console (HTTPS) and NPM (HTTP).
export interface LabConfig {
  oidc?: { port: number; redirectUris: string[] };
  /** Junos EX switches over real SSH, each on its own loopback port. */
  switches?: LabSwitchOptions[];
  tenantos?: { port?: number; world: LabTenantosWorld; apiKey?: string };
  proxmox?: { port?: number; world: LabProxmoxWorld };
  unifi?: LabUnifiOptions;
  npm?: LabNpmOptions;
}

export interface Lab {
  oidc?: Pick<OidcLab, "issuer" | "url" | "updateAccount">;
  switches: Map<string, LabSwitch>;
  tenantos?: LabTenantos;
  proxmox?: LabProxmox;
  unifi?: LabUnifi;
  npm?: LabNpm;
  close(): Promise<void>;
}

export async function startLab(config: LabConfig): Promise<Lab> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    const lab: Lab = { switches: new Map(), close };
    if (config.oidc) {
      // Loaded on demand: oidc-provider is heavy, and the demo lab has no use for it.
      const { startOidcLab } = await import("./oidc");
      const oidc = await startOidcLab(config.oidc);
      closers.push(oidc.close);
      assertLoopback(new URL(oidc.url).hostname, "oidc");
      lab.oidc = { issuer: oidc.issuer, url: oidc.url, updateAccount: oidc.updateAccount };
    }
    for (const options of config.switches ?? []) {
      const sw = await startLabSwitch(options);
      closers.push(sw.close);
      assertLoopback(sw.host, `switch ${sw.name}`);
      lab.switches.set(sw.name, sw);
    }
    // Each HTTP system: started, closed with the lab, and checked to listen on loopback only.
    const startSystem = async <T extends { url: string; close(): Promise<void> }>(name: string, start: () => Promise<T>): Promise<T> => {
      const system = await start();
      closers.push(system.close);
      assertLoopback(new URL(system.url).hostname, name);
      return system;
    };
    if (config.tenantos) lab.tenantos = await startSystem("tenantos", () => startLabTenantos(config.tenantos!));
    if (config.proxmox) lab.proxmox = await startSystem("proxmox", () => startLabProxmox(config.proxmox!));
    if (config.unifi) lab.unifi = await startSystem("unifi", () => startLabUnifi(config.unifi!));
    if (config.npm) lab.npm = await startSystem("npm", () => startLabNpm(config.npm!));
    return lab;
  } catch (e) {
    await close();
    throw e;
  }
}
