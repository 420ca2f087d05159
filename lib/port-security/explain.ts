import { formatUtc } from "../time/format";
import type { Binding } from "../junos/bindings";
import { describeSource, isSkipAbout, type BindingSource, type PlanFlag } from "./plan";
import type { Skip } from "./rules";

// "Why is (or isn't) this IP bound?": the chain an admin follows when a customer says "my new IP
// doesn't work", from the facts the service gathers. Pure: the same facts give the same answer.

export type WhyStatus = "ok" | "skipped" | "missing" | "failed" | "pending" | "info";

export interface WhyStep {
  step: "tenantos" | "routing" | "rules" | "desired" | "push" | "switch" | "drift" | "ipam";
  title: string;
  status: WhyStatus;
  lines: string[];
}

export type WhyVerdict = "bound" | "pending" | "skipped" | "blocked" | "not-assigned" | "unknown";

export interface WhyAnswer {
  ip: string;
  verdict: WhyVerdict;
  /** One sentence: what is true now and why. */
  summary: string;
  steps: WhyStep[];
}

export interface WhyFacts {
  ip: string;
  /** Tenantos's answer for the IP: the server holding it, null for none, or why it could not be asked. */
  tenantos: { serverId: number; serverName: string | null } | null | { error: string };
  /** The server's port as a push would compute it (null when there is no server to compute for). */
  preview: {
    blockedReason: string | null;
    target: { switchId?: number; switchName: string; interface: string; kind: "dedicated" | "vm-node"; proxmoxNode: string | null } | null;
    desired: Array<Binding & { source?: BindingSource }>;
    skipped: Array<Skip & { ip?: string }>;
    flags?: PlanFlag[];
    current: Binding[] | null;
    currentAsOf: Date | null;
  } | null;
  /** The newest push of that switch that included the port. */
  lastPush: { changeId: string; status: string; finishedAt: Date | null; error: string | null } | null;
  /** Where the switches' latest backups bind this IP (any port). */
  boundAt: Array<{ switchName: string; interface: string; mac: string; vlan: string }>;
  ipam: { status: string; vmid: number | null; hostname: string | null; mac: string | null } | null;
  vmac: string | null;
}

const describeBinding = (b: Pick<Binding, "ip" | "mac" | "vlan">) => `${b.ip} · ${b.mac} · VLAN ${b.vlan}`;
const at = (d: Date | null) => formatUtc(d, "minute", "not finished");

export function explainAddress(f: WhyFacts): WhyAnswer {
  const steps: WhyStep[] = [];
  const answer = (verdict: WhyVerdict, summary: string): WhyAnswer => ({ ip: f.ip, verdict, summary, steps });

  if (f.ipam) {
    steps.push({
      step: "ipam",
      title: "IPAM",
      status: f.ipam.status === "released" ? "missing" : "info",
      lines: [
        `${f.ipam.status}${f.ipam.vmid ? `, VMID ${f.ipam.vmid}` : ""}${f.ipam.hostname ? `, ${f.ipam.hostname}` : ""}${f.ipam.mac ? `, MAC ${f.ipam.mac}` : ""}`,
      ],
    });
  } else {
    steps.push({ step: "ipam", title: "IPAM", status: "info", lines: ["not in IPAM"] });
  }
  if (f.vmac) steps.push({ step: "rules", title: "Virtual MAC", status: "info", lines: [`VMAC ${f.vmac} is active for this IP`] });

  const elsewhere = f.boundAt.map((b) => `${b.switchName} ${b.interface}: ${describeBinding({ ip: f.ip, mac: b.mac, vlan: b.vlan })}`);
  const switchStep = (status: WhyStatus, lines: string[]) => steps.push({ step: "switch", title: "What the switches hold (latest backups)", status, lines });

  if (f.tenantos && "error" in f.tenantos) {
    steps.push({ step: "tenantos", title: "Tenantos", status: "failed", lines: [`could not ask Tenantos: ${f.tenantos.error}`] });
    switchStep("info", elsewhere.length ? elsewhere : ["no switch binds it"]);
    return answer("unknown", `Tenantos could not be asked who holds ${f.ip} (${f.tenantos.error}); nothing is pushed for it until it can.`);
  }
  // No server holds it, and no port's plan mentions it: nothing is meant to bind it. When a plan
  // does mention it (a guest's stale or unknown address on a node uplink), that plan answers.
  if (!f.tenantos && !f.preview?.target) {
    steps.push({ step: "tenantos", title: "Tenantos", status: "missing", lines: [`no server holds ${f.ip} in Tenantos`] });
    switchStep(
      elsewhere.length ? "failed" : "ok",
      elsewhere.length ? [...elsewhere, "a binding for an IP no server holds: the next push of that port removes it"] : ["no switch binds it"],
    );
    return answer("not-assigned", `${f.ip} is not assigned to any server in Tenantos, so no switch port is meant to bind it.`);
  }
  const server = f.tenantos ? `server ${f.tenantos.serverId}${f.tenantos.serverName ? ` (${f.tenantos.serverName})` : ""}` : "no Tenantos server";
  steps.push(
    f.tenantos
      ? { step: "tenantos", title: "Tenantos", status: "ok", lines: [`assigned to ${server}`] }
      : { step: "tenantos", title: "Tenantos", status: "missing", lines: [`no server holds ${f.ip} in Tenantos; the port's plan below still speaks of it`] },
  );

  const p = f.preview;
  if (!p || p.blockedReason || !p.target) {
    const why = p?.blockedReason ?? "its switch port is not known";
    steps.push({ step: "routing", title: "Switch port", status: "missing", lines: [why] });
    switchStep("info", elsewhere.length ? elsewhere : ["no switch binds it"]);
    return answer("blocked", `${server}'s port cannot be automated: ${why}.`);
  }
  const via = p.target.kind === "vm-node" ? ` (the uplink of Proxmox node ${p.target.proxmoxNode ?? "?"})` : "";
  steps.push({ step: "routing", title: "Switch port", status: "ok", lines: [`${p.target.switchName} ${p.target.interface}${via}`] });

  const skips = p.skipped.filter((s) => isSkipAbout(s, f.ip));
  const flags = (p.flags ?? []).filter((x) => isSkipAbout(x, f.ip));
  const desired = p.desired.filter((b) => b.ip === f.ip);
  steps.push({
    step: "rules",
    title: "Rules (allowlist, automation requirements, VMACs, VLANs)",
    status: skips.length ? "skipped" : "ok",
    lines: skips.length ? skips.map((s) => `${s.subject}: ${s.reason}`) : ["no rule leaves it out"],
  });
  steps.push({
    step: "desired",
    title: "Desired bindings",
    status: desired.length ? "ok" : "missing",
    lines: desired.length
      ? [...desired.map((b) => `${describeBinding(b)}${b.source ? ` — from ${describeSource(b.source)}` : ""}`), ...flags.map((x) => `flag: ${x.reason}`)]
      : ["none for this IP"],
  });
  if (f.lastPush) {
    const failed = ["failed", "rolled-back-by-switch"].includes(f.lastPush.status);
    steps.push({
      step: "push",
      title: "Last push of this port",
      status: failed ? "failed" : ["awaiting-confirm", "deferred", "running"].includes(f.lastPush.status) ? "pending" : "ok",
      lines: [`${f.lastPush.status} (${f.lastPush.changeId}, ${at(f.lastPush.finishedAt)})`, ...(f.lastPush.error ? [f.lastPush.error] : [])],
    });
  } else {
    steps.push({ step: "push", title: "Last push of this port", status: "info", lines: ["none yet"] });
  }
  const onPort = (p.current ?? []).filter((b) => b.ip === f.ip);
  switchStep(onPort.length ? "ok" : "missing", [
    p.currentAsOf ? `backup of ${at(p.currentAsOf)}` : "no backup of this switch yet",
    ...(onPort.length ? onPort.map((b) => `${p.target!.interface}: ${describeBinding(b)}`) : [`not bound on ${p.target.interface}`]),
    ...elsewhere.filter((l) => !l.startsWith(`${p.target!.switchName} ${p.target!.interface}:`)).map((l) => `also ${l}`),
  ]);

  const held = new Set(onPort.map((b) => `${b.mac}|${b.vlan}`));
  const wanted = new Set(desired.map((b) => `${b.mac}|${b.vlan}`));
  const isSame = held.size === wanted.size && [...wanted].every((k) => held.has(k));
  steps.push({
    step: "drift",
    title: "Drift",
    status: isSame ? "ok" : "pending",
    lines: [
      isSame
        ? "the switch holds what is desired"
        : `the switch holds ${onPort.length ? onPort.map(describeBinding).join(", ") : "nothing"} for it; desired: ${desired.length ? desired.map(describeBinding).join(", ") : "nothing"}`,
    ],
  });

  if (desired.length === 0 && (skips.length || !f.tenantos))
    return answer("skipped", `${f.ip} of ${server} is left out: ${skips.length ? skips.map((s) => s.reason).join("; ") : "no rule binds it"}.`);
  if (desired.length && isSame) return answer("bound", `${f.ip} is bound on ${p.target.switchName} ${p.target.interface} as desired.`);
  const pushNote = f.lastPush?.error
    ? ` The last push ${f.lastPush.status}: ${f.lastPush.error}.`
    : f.lastPush
      ? ` The last push: ${f.lastPush.status}.`
      : " No push has run for this port yet.";
  return answer("pending", `${p.target.switchName} ${p.target.interface} does not hold ${f.ip} as desired yet.${pushNote}`);
}
