import { isJunosInterfaceName, quoteLine, stripUnit } from "./link-text";

/**
 * Reading `show lacp interfaces`: which physical ports are members of which ae bundle, and whether
 * LACP has them collecting and distributing. Juniper documents it (the same on ELS and non-ELS EX)
 * as one block per bundle:
 *
 *   Aggregated interface: ae0
 *       LACP state:       Role   Exp   Def  Dist  Col  Syn  Aggr  Timeout  Activity
 *         ge-0/0/0       Actor    No    No   Yes  Yes  Yes   Yes     Fast    Active
 *         ge-0/0/0     Partner    No    No   Yes  Yes  Yes   Yes     Fast    Active
 *       LACP protocol:        Receive State  Transmit State          Mux State
 *         ge-0/0/0                  Current   Fast periodic Collecting distributing
 *
 * (https://www.juniper.net/documentation/en_US/junos12.3/topics/reference/command-summary/show-lacp-interfaces-ex-series.html,
 * Table 1 and the EX sample; the field lists of Receive/Transmit/Mux State are that table's). With
 * no bundle in LACP mode the switch answers "Warning: lacp subsystem not running - not needed by
 * configuration" (same page, the note under Options): that is no bundles, not a failure. State
 * columns are read by the header's names, so a release that adds a column is still read.
 */
export interface LacpRoleState {
  isExpired: boolean;
  isDefaulted: boolean;
  isDistributing: boolean;
  isCollecting: boolean;
  isSynchronized: boolean;
  isAggregatable: boolean;
  timeout: string;
  activity: string;
}

export interface LacpMember {
  /** The physical port, without a unit. */
  port: string;
  actor: LacpRoleState | null;
  partner: LacpRoleState | null;
  receiveState: string | null;
  transmitState: string | null;
  muxState: string | null;
}

export interface LacpBundle {
  bundle: string;
  members: LacpMember[];
}

export interface ParsedLacpInterfaces {
  bundles: LacpBundle[];
  problems: string[];
}

const BUNDLE = /^\s*Aggregated interface:\s*(\S+)\s*$/i;
const STATE_HEADER = /^\s*LACP state:\s+(.*)$/i;
const PROTOCOL_HEADER = /^\s*LACP protocol:\s+Receive State\s+Transmit State\s+Mux State\s*$/i;
const NOT_RUNNING = /^\s*Warning: lacp subsystem not running/i;
// The documented states, longest first, so "Collecting distributing" is not read as "Collecting".
const RECEIVE_STATES = ["Current", "Expired", "Defaulted", "Initialize", "LACP disabled", "Port disabled"];
const TRANSMIT_STATES = ["Fast periodic", "Slow periodic", "No periodic", "Periodic timer"];
const MUX_STATES = ["Collecting distributing", "Distributing", "Collecting", "Attached", "Waiting", "Detached"];
const REQUIRED = ["Exp", "Def", "Dist", "Col", "Syn", "Aggr", "Timeout", "Activity"] as const;

const isYes = (v: string) => v.toLowerCase() === "yes";

export function parseLacpInterfaces(text: string): ParsedLacpInterfaces {
  const bundles: LacpBundle[] = [];
  const problems: string[] = [];
  let bundle: LacpBundle | null = null;
  let section: "none" | "state" | "protocol" = "none";
  let stateColumns: string[] = [];
  const memberOf = (b: LacpBundle, port: string) => {
    let m = b.members.find((x) => x.port === port);
    if (!m) {
      m = { port, actor: null, partner: null, receiveState: null, transmitState: null, muxState: null };
      b.members.push(m);
    }
    return m;
  };
  const lines = text.replace(/\r/g, "").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    if (!t || NOT_RUNNING.test(line) || /^show lacp interfaces/.test(t) || /^\{.*\}$/.test(t)) continue;
    const where = `line ${i + 1} ${quoteLine(line)}`;
    const b = BUNDLE.exec(line);
    if (b) {
      if (!/^ae\d+(\.\d+)?$/.test(b[1]!)) {
        problems.push(`${where}: ${JSON.stringify(b[1])} is not an aggregated interface (aeN)`);
        bundle = null;
        section = "none";
        continue;
      }
      bundle = { bundle: stripUnit(b[1]!), members: [] };
      bundles.push(bundle);
      section = "none";
      continue;
    }
    const sh = STATE_HEADER.exec(line);
    if (sh) {
      stateColumns = sh[1]!.trim().split(/\s+/);
      section = "state";
      if (stateColumns[0] !== "Role" || REQUIRED.some((c) => !stateColumns.includes(c))) {
        problems.push(`${where}: the LACP state header lacks Role or one of ${REQUIRED.join(", ")}`);
        section = "none";
      }
      continue;
    }
    if (PROTOCOL_HEADER.test(line)) {
      section = "protocol";
      continue;
    }
    if (!bundle || section === "none") {
      problems.push(`${where}: not under an "Aggregated interface" block and its state or protocol header`);
      continue;
    }
    const words = t.split(/\s+/);
    const port = words[0]!;
    if (!isJunosInterfaceName(port)) {
      problems.push(`${where}: ${JSON.stringify(port)} is not an interface name`);
      continue;
    }
    if (section === "state") {
      const role = words[1];
      if ((role !== "Actor" && role !== "Partner") || words.length !== stateColumns.length + 1) {
        problems.push(`${where}: expected ${stateColumns.length} columns (${stateColumns.join(" ")}) after the port`);
        continue;
      }
      const v = Object.fromEntries(stateColumns.map((c, k) => [c, words[k + 1]!]));
      const state: LacpRoleState = {
        isExpired: isYes(v.Exp!),
        isDefaulted: isYes(v.Def!),
        isDistributing: isYes(v.Dist!),
        isCollecting: isYes(v.Col!),
        isSynchronized: isYes(v.Syn!),
        isAggregatable: isYes(v.Aggr!),
        timeout: v.Timeout!,
        activity: v.Activity!,
      };
      const m = memberOf(bundle, stripUnit(port));
      if (role === "Actor") m.actor = state;
      else m.partner = state;
      continue;
    }
    const rest = t.slice(port.length).trim();
    const receive = RECEIVE_STATES.find((s) => rest.toLowerCase().startsWith(s.toLowerCase()));
    const mux = MUX_STATES.find((s) => rest.toLowerCase().endsWith(s.toLowerCase()));
    const transmit = receive && mux ? rest.slice(receive.length, rest.length - mux.length).trim() : "";
    if (!receive || !mux || !TRANSMIT_STATES.some((s) => s.toLowerCase() === transmit.toLowerCase())) {
      problems.push(`${where}: expected a receive, a transmit and a mux state`);
      continue;
    }
    const m = memberOf(bundle, stripUnit(port));
    m.receiveState = receive;
    m.transmitState = transmit;
    m.muxState = mux;
  }
  return { bundles, problems };
}

/** A member LACP has in the bundle: our side collecting and distributing. */
export function isActiveLacpMember(m: LacpMember): boolean {
  return Boolean(m.actor?.isCollecting && m.actor.isDistributing);
}
