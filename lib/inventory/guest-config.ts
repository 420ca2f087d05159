import { parseIpAddress } from "../net/ip";

export interface GuestNic {
  index: number;
  mac?: string;
  bridge?: string;
  vlanTag?: number;
  ips: string[];
}

function keyValues(value: string): Map<string, string> {
  return new Map(
    value.split(",").map((part) => {
      const i = part.indexOf("=");
      return i < 0 ? [part.trim(), ""] : [part.slice(0, i).trim(), part.slice(i + 1).trim()];
    }),
  );
}

const QEMU_MODELS = new Set(["virtio", "e1000", "e1000e", "rtl8139", "vmxnet3"]);

/** A static address from `ip=10.0.0.5/24`; `dhcp`, `manual` and `auto` are not addresses. */
function staticIp(value: string | undefined): string | undefined {
  if (!value || ["dhcp", "manual", "auto"].includes(value)) return undefined;
  try {
    return parseIpAddress(value.split("/")[0]!).ip;
  } catch {
    return undefined;
  }
}

/**
 * A Proxmox guest's NICs from its config: QEMU `netN: virtio=MAC,bridge=vmbr0,tag=13` with
 * `ipconfigN: ip=…,gw=…`; LXC `netN: name=eth0,hwaddr=MAC,bridge=…,tag=…,ip=…`.
 */
export function parseGuestNics(config: Record<string, unknown>): GuestNic[] {
  const nics: GuestNic[] = [];
  for (const [key, raw] of Object.entries(config)) {
    const m = /^net(\d+)$/.exec(key);
    if (!m || typeof raw !== "string") continue;
    const index = Number(m[1]);
    const kv = keyValues(raw);
    const model = [...kv.keys()].find((k) => QEMU_MODELS.has(k));
    const mac = (model ? kv.get(model) : kv.get("hwaddr"))?.toLowerCase();
    const tag = kv.get("tag");
    const ips = [staticIp(kv.get("ip")), staticIp(kv.get("ip6"))];
    const ipconfig = config[`ipconfig${index}`];
    if (typeof ipconfig === "string") {
      const ic = keyValues(ipconfig);
      ips.push(staticIp(ic.get("ip")), staticIp(ic.get("ip6")));
    }
    nics.push({ index, mac, bridge: kv.get("bridge"), vlanTag: tag ? Number(tag) : undefined, ips: ips.filter((x): x is string => Boolean(x)) });
  }
  return nics.sort((a, b) => a.index - b.index);
}
