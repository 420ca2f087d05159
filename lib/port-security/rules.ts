// Plain facts and the automation requirements; the binding rules themselves are the plan (./plan.ts).

export interface VmNic {
  mac: string;
  vlanId: number | undefined;
  /** From the guest config (`ipconfigN`, LXC `ip=`): set by whoever runs the hypervisor. */
  configIps: string[];
  /** From the QEMU agent or LXC interfaces: reported by the guest itself, so never trusted alone. */
  agentIps: string[];
}

export interface VmFact {
  vmid: number;
  name: string;
  nics: VmNic[];
}

export interface Skip {
  subject: string;
  reason: string;
}

/**
 * How a VLAN id is named on the switch (`set vlans NAME vlan-id N`), or undefined when the switch
 * does not define it. The seeds' switches use `VLAN.<id>`; real ones name VLANs as they like.
 */
export type VlanNamer = (vlanId: number) => string | undefined;
export const defaultVlanName: VlanNamer = (id) => `VLAN.${id}`;

export interface AutomationRequirements {
  hasSwitchConnection: boolean;
  isSwitchAutomationOn: boolean;
  hasSwitchCredentials: boolean;
  hasEventToken: boolean;
}

/** Why automation may not run for this server, or null when it may. Skips are recorded, never silent. */
export function findUnmetRequirement(r: AutomationRequirements): string | null {
  if (!r.hasEventToken) return "PORT_SECURITY_EVENT_API_BEARER_TOKEN is not set";
  if (!r.hasSwitchConnection) return "the server has no snmp_switch connection in Tenantos";
  if (!r.isSwitchAutomationOn) return "switchAutomation is off for the server's switch connection";
  if (!r.hasSwitchCredentials) return "the switch has no credentials here";
  return null;
}
