import { startLabSwitch, type LabSwitch, type LabSwitchOptions } from "./junos/ssh-switch";
import { assertLoopback } from "./loopback";
import { startOidcLab, type OidcLab } from "./oidc";

// The simulated world: each outside system the controller talks to, on loopback, started on
// demand. Later issues add the Junos switches (SSH), Tenantos and Proxmox (HTTP).
export interface LabConfig {
  oidc?: { port: number; redirectUris: string[] };
  /** Junos EX switches over real SSH, each on its own loopback port. */
  switches?: LabSwitchOptions[];
}

export interface Lab {
  oidc?: Pick<OidcLab, "issuer" | "url">;
  switches: Map<string, LabSwitch>;
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
      const oidc = await startOidcLab(config.oidc);
      closers.push(oidc.close);
      assertLoopback(new URL(oidc.url).hostname, "oidc");
      lab.oidc = { issuer: oidc.issuer, url: oidc.url };
    }
    for (const options of config.switches ?? []) {
      const sw = await startLabSwitch(options);
      closers.push(sw.close);
      assertLoopback(sw.host, `switch ${sw.name}`);
      lab.switches.set(sw.name, sw);
    }
    return lab;
  } catch (e) {
    await close();
    throw e;
  }
}
