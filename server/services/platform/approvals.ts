import { createHash } from "node:crypto";
import { and, desc, eq, gte, ilike, lte, or, sql } from "drizzle-orm";
import {
  ipamAddresses,
  panelPorts,
  pendingChanges,
  switches,
  proxmoxNodeServers,
  provisioningJobs,
  switchPortBindings,
  vmacs,
  type PendingChangeRow,
} from "@/drizzle/schema";
import {
  applyBindingChange,
  describeBindingChange,
  describeSettingsChange,
  findBindingChange,
  findChangedKeys,
  findExpiresAt,
  isApprovalExpired,
  showBinding,
  stableJson,
  type BindingChange,
} from "@/lib/approvals/changes";
import { findBillingChange, findRemovedBindings, findSafetyWeakening } from "@/lib/approvals/destructive";
import { findApproverRoleProblem, findDutyConflict } from "@/lib/approvals/duties";
import { parseSettingsForm, type Settings, type SettingsForm } from "@/lib/settings/schema";
import type { Binding } from "@/lib/junos/bindings";
import { parsePortBindings } from "@/lib/junos/bindings";
import { AppError } from "@/lib/errors";
import { parseIpAddress } from "@/lib/net/ip";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import type { Db, DbOrTx } from "@/server/db/client";
import { readLatestBindings } from "../port-state/latest-bindings";
import { computePanelPortState, listManagedPorts } from "../port-state/desired";
import { writeAudit, type Actor } from "./audit";
import { getSettings, updateSettingValues } from "./settings";
import { getSwitch, requestPortsPush, setPortBindings } from "../switches/switches";
import type { PanelPortClaim } from "./port-moves";
import type { ApprovalTableSort, approvalTableSpec } from "@/lib/approvals/approval-table";
import type { FilterValues, SortDir } from "@/lib/table/url-state";
import { escapeLike } from "@/server/db/like";
import { listPage, type ListPage, type ListSource } from "@/server/db/list-query";
import { deleteSwitch, type DeleteMode } from "../switches/lifecycle";
import { releaseVmac } from "../port-security/vmacs";
import { confirmNodeServer, removeNodeServer } from "../port-security/proxmox-nodes";
import { cleanFields, updateAddress, type AddressFields } from "../ipam/addresses";
import { approveProvisioningJob, rejectProvisioningJob } from "../provisioning/jobs";

type PortBindingsInput = Parameters<typeof setPortBindings>[2];
export type PendingOutcome = { status: "pending"; approvalId: number; summary: string; digest: string };
export type RequestOutcome = { status: "applied"; jobId?: number } | PendingOutcome;

/** What computing an approval's effect may need: sealed backups, and the panel for a node's uplink. */
export interface ApprovalDeps {
  secretsKey: Buffer;
  panel?: OutsideSystems;
}

/** What a pending change does if it is approved NOW: every binding or setting it changes, and the digest of that state. */
export interface ApprovalEffect {
  lines: string[];
  digest: string;
  requiredRole: "admin" | "finance";
}

// What each kind stores: only the change, never the form it came from.
type PortBindingsPayload = { switchId: number; interface: string; change: BindingChange; ticketId?: string | null };
type SettingsPayload = { patch: Partial<Settings>; ticketId: string | null };
type VmacPayload = { ip: string };
type ProvisioningPayload = { jobId: number };
/** serverId null: unmap the node; a number: map (or re-point) it to that Tenantos server. */
type ProxmoxNodePayload = { node: string; serverId: number | null };
type SwitchDeletePayload = { switchId: number; confirmName: string };
type IpamAddressPayload = { id: number; patch: AddressFields };

const digestOf = (kind: string, payload: unknown, state: unknown): string =>
  createHash("sha256").update(stableJson({ kind, payload, state })).digest("hex").slice(0, 32);

// ---------------------------------------------------------------------------------------------
// Port bindings

/** What the port holds now: our row for it, else what the switch holds as its latest backup shows. */
async function readHeldBindings(db: DbOrTx, secretsKey: Buffer, switchId: number, iface: string): Promise<Binding[]> {
  const [current] = await db
    .select()
    .from(switchPortBindings)
    .where(and(eq(switchPortBindings.switchId, switchId), eq(switchPortBindings.interface, iface)));
  if (current) return current.bindings as Binding[];
  return (await readLatestBindings(db, secretsKey, [switchId])).get(switchId)?.parsed?.ports.get(iface) ?? [];
}

async function computePortBindingsEffect(db: DbOrTx, deps: ApprovalDeps, p: PortBindingsPayload) {
  const sw = await getSwitch(db, p.switchId);
  const held = await readHeldBindings(db, deps.secretsKey, p.switchId, p.interface);
  const after = applyBindingChange(held, p.change);
  const lines = describeBindingChange(`${sw.name} ${p.interface}`, held, after);
  return { lines, state: { held, after }, after };
}

/**
 * Manual bindings for a port: applied at once when nothing is taken away; when a binding the port
 * holds would be removed (its device cut off), it waits for a second admin, if settings ask so.
 * What waits is the change (these added, those removed), not the list: approving it later keeps
 * whatever was added to the port since.
 */
export async function requestPortBindings(db: DbOrTx, secretsKey: Buffer, actor: Actor, input: PortBindingsInput): Promise<RequestOutcome> {
  const port = parsePortBindings({ interface: input.interface, bindings: input.bindings });
  await getSwitch(db, input.switchId);
  const held = await readHeldBindings(db, secretsKey, input.switchId, port.interface);
  const removed = findRemovedBindings(held, port.bindings);
  if (removed.length === 0 || !(await getSettings(db)).isSecondApprovalRequired) {
    return { status: "applied", ...(await setPortBindings(db, actor, input)) };
  }
  const payload: PortBindingsPayload = {
    switchId: input.switchId,
    interface: port.interface,
    change: findBindingChange(held, port.bindings),
    ticketId: input.ticketId ?? null,
  };
  return queue(db, { secretsKey }, actor, "port_bindings", payload, input.ticketId);
}

// ---------------------------------------------------------------------------------------------
// Settings

function computeSettingsEffect(current: Settings, p: SettingsPayload) {
  const keys = Object.keys(p.patch) as Array<keyof Settings>;
  return {
    lines: describeSettingsChange(current, p.patch),
    // The state it is judged against: the asked keys' values now (another key moving is not this change's business).
    state: Object.fromEntries(keys.map((k) => [k, current[k]])),
    requiredRole: findBillingChange(current, p.patch) ? ("finance" as const) : ("admin" as const),
  };
}

/**
 * A settings change: only the keys that differ from what is set now are kept (a form carries every
 * field; the ones left as they were are not part of the change). Applied at once unless it weakens
 * safety or evidence while the second approval is on; the billing mode always waits for finance.
 * A request mixing both is split: the billing mode waits for finance, the rest for an IT admin.
 */
export async function requestSettingsUpdate(
  db: Db,
  actor: Actor,
  form: SettingsForm,
  ticketId?: string,
  deps: Partial<ApprovalDeps> = {},
): Promise<{ status: "applied"; settings: Settings } | { status: "pending"; approvalId: number; summary: string; digest: string; approvals: number[] }> {
  // Bad values are refused now, naming the field, not when a second admin approves.
  const parsed = parseSettingsForm(form);
  const current = await getSettings(db);
  const patch = Object.fromEntries(findChangedKeys(current, parsed).map((k) => [k, parsed[k]])) as Partial<Settings>;
  const { bandwidthBillingMode, ...rest } = patch;
  const billing = bandwidthBillingMode !== undefined ? { bandwidthBillingMode } : {};
  const isRestHeld = findSafetyWeakening(current, rest).length > 0 && current.isSecondApprovalRequired;
  const queued: PendingOutcome[] = [];
  const key = deps.secretsKey ?? Buffer.alloc(0);
  if (bandwidthBillingMode !== undefined)
    queued.push(await queue(db, { secretsKey: key }, actor, "settings", { patch: billing, ticketId: ticketId ?? null }, ticketId));
  if (isRestHeld) queued.push(await queue(db, { secretsKey: key }, actor, "settings", { patch: rest, ticketId: ticketId ?? null }, ticketId));
  const settings = !isRestHeld && Object.keys(rest).length ? await updateSettingValues(db, actor, rest, ticketId) : current;
  if (queued.length === 0) return { status: "applied", settings };
  return { ...queued[queued.length - 1]!, approvals: queued.map((q) => q.approvalId) };
}

// ---------------------------------------------------------------------------------------------
// VMAC release, provisioning jobs

/** Releasing a VMAC unbinds its IP on the switch: the same rule. */
export async function requestVmacRelease(db: DbOrTx, actor: Actor, ip: string, deps: Partial<ApprovalDeps> = {}): Promise<RequestOutcome> {
  const addr = parseIpAddress(ip).ip;
  if (!(await getSettings(db)).isSecondApprovalRequired) {
    await releaseVmac(db, actor, addr);
    return { status: "applied" };
  }
  return queue(db, { secretsKey: deps.secretsKey ?? Buffer.alloc(0) }, actor, "vmac_release", { ip: addr });
}

async function computeVmacEffect(db: DbOrTx, p: VmacPayload) {
  const [v] = await db.select().from(vmacs).where(eq(vmacs.ip, p.ip));
  const isActive = v && !v.releasedAt;
  return {
    lines: [
      isActive
        ? `release the VMAC of ${p.ip} (${v.mac}, server ${v.serverId}): its binding leaves the server's port`
        : `${p.ip} has no active VMAC any more: nothing to release`,
    ],
    state: isActive ? { mac: v.mac, serverId: v.serverId } : null,
  };
}

async function computeProvisioningEffect(db: DbOrTx, row: PendingChangeRow, p: ProvisioningPayload) {
  // The job plans again from fresh facts when it runs (a changed guest asks again), so the plan asked is what is shown.
  const [job] = await db.select().from(provisioningJobs).where(eq(provisioningJobs.id, p.jobId));
  return { lines: [row.summary], state: { status: job?.status ?? null, approvalId: job?.approvalId ?? null, configDigest: job?.configDigest ?? null } };
}

// ---------------------------------------------------------------------------------------------
// Proxmox node ↔ Tenantos server

/**
 * The bindings a node mapping change takes off the switch: for every port whose kind it changes,
 * what the one plan (port-state/desired) gives it now minus what it would give it after.
 */
async function computeNodeEffect(db: DbOrTx, deps: ApprovalDeps, p: ProxmoxNodePayload) {
  const [before] = await db.select().from(proxmoxNodeServers).where(eq(proxmoxNodeServers.node, p.node));
  const servers = [...new Set([before?.tenantosServerId, p.serverId].filter((s): s is number => s != null))];
  const ports = servers.length ? (await db.select().from(panelPorts)).filter((r) => servers.includes(r.serverId)) : [];
  const names = new Map<number, string>();
  const lines: string[] = [];
  const removedAll: Array<{ port: string; bindings: Binding[] }> = [];
  const settings = await getSettings(db);
  const mapping =
    p.serverId == null
      ? `unmap node ${p.node} from Tenantos server ${before?.tenantosServerId ?? "(none)"}`
      : `map node ${p.node} to Tenantos server ${p.serverId}${before && before.tenantosServerId !== p.serverId ? ` (was ${before.tenantosServerId})` : ""}`;
  lines.push(mapping);
  for (const port of ports.sort((a, b) => a.switchId - b.switchId || a.interface.localeCompare(b.interface))) {
    const isNodeAfter = p.serverId != null && port.serverId === p.serverId;
    const afterRow = { ...port, kind: isNodeAfter ? ("vm-node" as const) : ("dedicated" as const), proxmoxNode: isNodeAfter ? p.node : null };
    if (afterRow.kind === port.kind && afterRow.proxmoxNode === port.proxmoxNode) continue;
    const swName = names.get(port.switchId) ?? (await getSwitch(db, port.switchId)).name;
    names.set(port.switchId, swName);
    const where = `${swName} ${port.interface}`;
    const now = await computePanelPortState({ db, panel: deps.panel }, port, settings);
    const after = await computePanelPortState({ db, panel: deps.panel }, afterRow, settings);
    if (now.unknownReason || after.unknownReason) {
      // Without an answer the port's bindings may all go: say so rather than promise nothing.
      const held = (await readLatestBindings(db, deps.secretsKey, [port.switchId])).get(port.switchId)?.parsed?.ports.get(port.interface) ?? [];
      lines.push(
        `${where}: what it will hold cannot be computed now (${now.unknownReason ?? after.unknownReason}); it holds ${held.length ? held.map(showBinding).join(", ") : "nothing we know of"}`,
      );
      removedAll.push({ port: where, bindings: held });
      continue;
    }
    const removed = findRemovedBindings(now.bindings, after.bindings);
    removedAll.push({ port: where, bindings: removed });
    lines.push(...describeBindingChange(where, now.bindings, after.bindings));
  }
  return {
    lines,
    state: { before: before ? { serverId: before.tenantosServerId } : null, removedAll },
    isRemoving: removedAll.some((r) => r.bindings.length > 0),
  };
}

/**
 * Mapping, re-pointing or unmapping a Proxmox node: applied at once when no binding leaves a port;
 * otherwise it waits on /it/approvals showing every binding it takes away.
 */
export async function requestNodeServerChange(db: DbOrTx, deps: ApprovalDeps, actor: Actor, input: ProxmoxNodePayload): Promise<RequestOutcome> {
  const effect = await computeNodeEffect(db, deps, input);
  if (!effect.isRemoving || !(await getSettings(db)).isSecondApprovalRequired) {
    await applyNodeChange(db, actor, input);
    return { status: "applied" };
  }
  return queue(db, deps, actor, "proxmox_node", input);
}

async function applyNodeChange(db: DbOrTx, actor: Actor, p: ProxmoxNodePayload): Promise<void> {
  if (p.serverId == null) await removeNodeServer(db, actor, p.node);
  else await confirmNodeServer(db, actor, { node: p.node, serverId: p.serverId });
}

// ---------------------------------------------------------------------------------------------
// Deleting a switch and removing our bindings

async function computeSwitchDeleteEffect(db: DbOrTx, deps: ApprovalDeps, p: SwitchDeletePayload) {
  const sw = await getSwitch(db, p.switchId);
  const managed = await listManagedPorts(db, { switchIds: [sw.id] });
  const latest = (await readLatestBindings(db, deps.secretsKey, [sw.id])).get(sw.id);
  const lines = [`delete switch ${sw.name} and remove our bindings from ${managed.length} port(s)`];
  const state: Array<{ port: string; bindings: Binding[] | null }> = [];
  for (const m of managed) {
    // The wipe deletes the port's whole static-ip subtree: everything the switch holds there goes.
    const held = latest?.parsed?.ports.get(m.interface) ?? (m.source === "manual" ? m.bindings : null);
    state.push({ port: m.interface, bindings: held });
    if (held === null) lines.push(`${sw.name} ${m.interface}: no backup yet, whatever the switch holds on it is removed`);
    else if (held.length === 0) lines.push(`${sw.name} ${m.interface}: holds nothing now`);
    else lines.push(...held.map((b) => `${sw.name} ${m.interface}: remove ${showBinding(b)}`));
  }
  return { lines, state: { name: sw.name, hostKeyState: sw.hostKeyState, state } };
}

/**
 * Deleting a switch: leaving its configuration alone acts at once; removing our bindings waits on
 * /it/approvals (when the second approval is on), showing every binding it removes.
 */
export async function requestSwitchDelete(
  db: Db,
  deps: ApprovalDeps,
  actor: Actor,
  input: { switchId: number; mode: DeleteMode; confirmName: string },
): Promise<Awaited<ReturnType<typeof deleteSwitch>> | PendingOutcome> {
  const sw = await getSwitch(db, input.switchId);
  if (input.confirmName !== sw.name) throw new AppError("BAD_REQUEST", `type the switch's name, ${sw.name}, to confirm`, { field: "confirmName" });
  if (input.mode === "leave-switch" || !(await getSettings(db)).isSecondApprovalRequired) return deleteSwitch(db, actor, input);
  // Refused now what the removal would refuse later (host key, automation off): the request would only fail.
  if (sw.hostKeyState !== "approved" || !sw.isAutomationEnabled) return deleteSwitch(db, actor, input);
  return queue(db, deps, actor, "switch_delete", { switchId: sw.id, confirmName: input.confirmName });
}

// ---------------------------------------------------------------------------------------------
// IPAM addresses that are bound

/** Every binding holding `ip` on a switch now (latest backups) or in our manual rows. */
async function findBindingsOfIp(db: DbOrTx, secretsKey: Buffer, ip: string): Promise<string[]> {
  const out = new Set<string>();
  const [latest, manual, names] = await Promise.all([
    readLatestBindings(db, secretsKey),
    db.select().from(switchPortBindings),
    db.select({ id: switches.id, name: switches.name }).from(switches),
  ]);
  const nameOf = new Map(names.map((s) => [s.id, s.name]));
  for (const [switchId, l] of latest)
    for (const [iface, bs] of l.parsed?.ports ?? []) for (const b of bs) if (b.ip === ip) out.add(`${nameOf.get(switchId)} ${iface}: ${showBinding(b)}`);
  for (const m of manual) for (const b of m.bindings as Binding[]) if (b.ip === ip) out.add(`${nameOf.get(m.switchId)} ${m.interface}: ${showBinding(b)}`);
  return [...out].sort();
}

/** Taking an address out of use (released, deprecated, planned) or giving it another VM: what a node's uplink binds by IPAM's word. */
function isAddressWithdrawn(before: { status: string; vmid: number | null }, patch: AddressFields): boolean {
  const isLeavingActive = before.status === "active" && patch.status !== undefined && patch.status !== "active";
  const isReowned = patch.vmid !== undefined && patch.vmid !== before.vmid && before.vmid !== null;
  return isLeavingActive || isReowned;
}

async function computeAddressEffect(db: DbOrTx, deps: ApprovalDeps, p: IpamAddressPayload) {
  const [row] = await db.select().from(ipamAddresses).where(eq(ipamAddresses.id, p.id));
  if (!row) throw new AppError("CONFLICT", `address ${p.id} no longer exists`);
  const ip = String(row.address).replace(/\/\d+$/, "");
  const bound = await findBindingsOfIp(db, deps.secretsKey, ip);
  const what = [
    p.patch.status !== undefined && p.patch.status !== row.status ? `status ${row.status} → ${p.patch.status}` : null,
    p.patch.vmid !== undefined && p.patch.vmid !== row.vmid ? `VMID ${row.vmid ?? "none"} → ${p.patch.vmid ?? "none"}` : null,
  ].filter(Boolean);
  const lines = [`IPAM ${ip}: ${what.join(", ") || "no change to its status or owner any more"}`];
  // The binding leaves a node's uplink where IPAM's word is what put it there (an agent-reported address).
  lines.push(...bound.map((b) => `${b}: bound now; removed where IPAM's word for the VM is what binds it`));
  return { lines, state: { status: row.status, vmid: row.vmid, bound }, isRemoving: isAddressWithdrawn(row, p.patch) && bound.length > 0 };
}

/**
 * Editing an IPAM address: applied at once, unless it releases or re-owns an address a switch
 * binds now; that waits on /it/approvals with the bindings that hold it.
 */
export async function requestAddressUpdate(db: DbOrTx, deps: ApprovalDeps, actor: Actor, id: number, form: AddressFields) {
  const [current] = await db.select().from(ipamAddresses).where(eq(ipamAddresses.id, id));
  if (!current) throw new AppError("NOT_FOUND", `address ${id} does not exist`);
  // Only what the edit changes is the change (the form carries every field).
  const cleaned = cleanFields(form);
  const patch = Object.fromEntries(
    (Object.keys(cleaned) as Array<keyof AddressFields>).filter((k) => cleaned[k] !== undefined && cleaned[k] !== current[k]).map((k) => [k, cleaned[k]]),
  ) as AddressFields;
  const effect = await computeAddressEffect(db, deps, { id, patch });
  if (!effect.isRemoving || !(await getSettings(db)).isSecondApprovalRequired)
    return { status: "applied" as const, address: await updateAddress(db, actor, id, patch) };
  return queue(db, deps, actor, "ipam_address", { id, patch });
}

// ---------------------------------------------------------------------------------------------
// Tenantos's data moving a port (platform/port-moves holds it)

/** What the port holds now (its current server's plan, or its hand-made bindings) against what the claiming server's plan gives it. */
async function computePortClaimEffect(db: DbOrTx, deps: ApprovalDeps, p: PanelPortClaim) {
  const sw = await getSwitch(db, p.switchId);
  const where = `${sw.name} ${p.interface}`;
  const [[current], settings] = await Promise.all([
    db
      .select()
      .from(panelPorts)
      .where(and(eq(panelPorts.switchId, p.switchId), eq(panelPorts.interface, p.interface))),
    getSettings(db),
  ]);
  const claimed = { ...p, updatedAt: new Date(0) };
  const after = await computePanelPortState({ db, panel: deps.panel }, claimed, settings);
  let held: Binding[];
  let from: string;
  if (current) {
    const now = await computePanelPortState({ db, panel: deps.panel }, current, settings);
    if (now.unknownReason) throw new AppError("UNAVAILABLE", `${where}: what it holds now cannot be computed (${now.unknownReason})`);
    held = now.bindings;
    from = `server ${current.serverId}`;
  } else {
    held = await readHeldBindings(db, deps.secretsKey, p.switchId, p.interface);
    from = "hand-made bindings";
  }
  if (after.unknownReason) throw new AppError("UNAVAILABLE", `${where}: what server ${p.serverId} would hold cannot be computed (${after.unknownReason})`);
  const lines = [`Tenantos gives ${where} to server ${p.serverId} (now: ${from})`, ...describeBindingChange(where, held, after.bindings)];
  return { lines, state: { from, held, after: after.bindings } };
}

async function applyPortClaim(tx: DbOrTx, p: PanelPortClaim): Promise<void> {
  const row = { ...p, updatedAt: new Date() };
  await tx
    .insert(panelPorts)
    .values(row)
    .onConflictDoUpdate({ target: [panelPorts.switchId, panelPorts.interface], set: row });
  await requestPortsPush(tx, [{ switchId: p.switchId, interface: p.interface }], `port-claim:server:${p.serverId}`);
}

// ---------------------------------------------------------------------------------------------
// The queue and the decision

/** What approving `row` would do now. Throws (AppError) when it can no longer be computed. */
export async function computeApprovalEffect(
  db: DbOrTx,
  deps: ApprovalDeps,
  row: Pick<PendingChangeRow, "kind" | "payload" | "summary" | "stateDigest">,
): Promise<ApprovalEffect> {
  if (row.stateDigest === null && row.kind !== "provisioning" && row.kind !== "panel_port")
    throw new AppError(
      "CONFLICT",
      "this request was stored with its whole form, before approvals recorded what they were asked against: reject it and ask again",
    );
  const p = row.payload as never;
  let out: { lines: string[]; state: unknown; requiredRole?: "admin" | "finance" };
  switch (row.kind) {
    case "port_bindings":
      out = await computePortBindingsEffect(db, deps, p);
      break;
    case "settings":
      out = computeSettingsEffect(await getSettings(db), p);
      break;
    case "vmac_release":
      out = await computeVmacEffect(db, p);
      break;
    case "provisioning":
      out = await computeProvisioningEffect(db, row as PendingChangeRow, p);
      break;
    case "proxmox_node":
      out = await computeNodeEffect(db, deps, p);
      break;
    case "switch_delete":
      out = await computeSwitchDeleteEffect(db, deps, p);
      break;
    case "ipam_address":
      out = await computeAddressEffect(db, deps, p);
      break;
    case "panel_port":
      out = await computePortClaimEffect(db, deps, p);
      break;
  }
  return { lines: out.lines, digest: digestOf(row.kind, row.payload, out.state), requiredRole: out.requiredRole ?? "admin" };
}

async function queue(
  db: DbOrTx,
  deps: ApprovalDeps,
  actor: Actor,
  kind: PendingChangeRow["kind"],
  payload: unknown,
  ticketId?: string,
): Promise<PendingOutcome> {
  const effect = await computeApprovalEffect(db, deps, { kind, payload, summary: "", stateDigest: "" });
  const summary = effect.lines.join("\n");
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(pendingChanges)
      .values({
        kind,
        payload: payload as object,
        summary,
        requestedBy: actor.id,
        requestedByIssuer: actor.issuer ?? null,
        requestedBySubject: actor.subject ?? null,
        stateDigest: effect.digest,
        ticketId: ticketId ?? null,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: "approval.requested",
      entityType: "pending_change",
      entityId: String(row!.id),
      after: { kind, summary, digest: effect.digest },
      ticketId,
    });
    return { status: "pending" as const, approvalId: row!.id, summary, digest: effect.digest };
  });
}

/** The outcome of a decision: the row as it is now; `reasked` when the state moved and nothing was applied. */
export type DecideOutcome = PendingChangeRow & { reasked?: { lines: string[]; digest: string; why: string } };

async function refuse(db: DbOrTx, actor: Actor, row: PendingChangeRow, decision: string, why: string): Promise<never> {
  // The refusal is evidence too: recorded in its own transaction, then the caller is told.
  await db.transaction((tx) =>
    writeAudit(tx, actor, {
      action: "approval.refused",
      entityType: "pending_change",
      entityId: String(row.id),
      after: { decision, why, requestedBy: row.requestedBy },
    }),
  );
  throw new AppError("FORBIDDEN", why);
}

/**
 * A second person decides. Approving applies what the change does NOW, and only when that is what
 * the approver was shown (`seenDigest`, else the digest last shown on the queue): if the state
 * moved, nothing is applied, the request shows the new difference and is asked again.
 * Refused (and audited): the requester (same issuer and subject, or their email from another
 * account), the break-glass account, anyone but finance for the billing mode. Expired requests
 * are closed, not decided.
 */
export async function decideApproval(
  db: DbOrTx,
  actor: Actor,
  id: number,
  decision: "approve" | "reject",
  opts: { deps?: ApprovalDeps; seenDigest?: string; now?: Date } = {},
): Promise<DecideOutcome> {
  const deps = opts.deps ?? { secretsKey: Buffer.alloc(0) };
  const [row] = await db.select().from(pendingChanges).where(eq(pendingChanges.id, id));
  if (!row) throw new AppError("NOT_FOUND", `approval ${id} does not exist`);
  if (row.status !== "pending") throw new AppError("CONFLICT", `approval ${id} is already ${row.status}`);
  const conflict = findDutyConflict(
    { id: row.requestedBy, issuer: row.requestedByIssuer, subject: row.requestedBySubject },
    { id: actor.id, issuer: actor.issuer, subject: actor.subject, isBreakGlass: actor.isBreakGlass },
  );
  if (conflict) return refuse(db, actor, row, decision, conflict);

  const settings = await getSettings(db);
  const now = opts.now ?? new Date();
  if (isApprovalExpired(row.requestedAt, now, settings.approvalExpiryDays)) {
    await close(db, actor, row, "expired", `expired: not decided within ${settings.approvalExpiryDays} days; ask again`);
    throw new AppError("CONFLICT", `approval ${id} expired: it was not decided within ${settings.approvalExpiryDays} days; ask again`);
  }
  if (decision === "reject") return close(db, actor, row, "rejected", null);

  // Computed outside the transaction: a node's uplink asks the panel (no network call inside a transaction).
  let effect: ApprovalEffect;
  try {
    effect = await computeApprovalEffect(db, deps, row);
  } catch (e) {
    if (e instanceof AppError && e.code !== "CONFLICT") throw e;
    return close(db, actor, row, "failed", (e as Error).message);
  }
  const problem = findApproverRoleProblem(effect.requiredRole, actor);
  if (problem) return refuse(db, actor, row, decision, problem);
  // A provisioning job asked through its own path carries no digest: its run plans again anyway.
  const seen = opts.seenDigest ?? row.stateDigest ?? (row.kind === "provisioning" ? effect.digest : null);
  if (effect.digest !== seen) return reask(db, actor, row, effect);

  return db.transaction(async (tx) => {
    const [locked] = await tx.select().from(pendingChanges).where(eq(pendingChanges.id, id)).for("update");
    if (locked!.status !== "pending") throw new AppError("CONFLICT", `approval ${id} is already ${locked!.status}`);
    // Checked again under the lock for what the database alone decides; a move in between asks again.
    if (row.kind !== "proxmox_node" && row.kind !== "provisioning" && row.kind !== "panel_port") {
      const again = await computeApprovalEffect(tx, deps, row);
      if (again.digest !== effect.digest) return reask(tx, actor, row, again);
    }
    const requester: Actor = { id: row.requestedBy };
    let status: PendingChangeRow["status"] = "applied";
    let error: string | null = null;
    // Nested transactions are savepoints: a failed apply leaves the request recorded as failed.
    try {
      await applyChange(tx, deps, requester, actor, row);
    } catch (e) {
      status = "failed";
      error = (e as Error).message;
    }
    const [done] = await tx
      .update(pendingChanges)
      .set({ status, decidedBy: actor.id, decidedAt: new Date(), error, summary: effect.lines.join("\n") })
      .where(eq(pendingChanges.id, id))
      .returning();
    await writeAudit(tx, actor, {
      action: "approval.approved",
      entityType: "pending_change",
      entityId: String(id),
      before: { status: "pending" },
      after: { status, error, summary: effect.lines.join("\n"), digest: effect.digest },
    });
    return done!;
  });
}

async function applyChange(tx: DbOrTx, deps: ApprovalDeps, requester: Actor, approver: Actor, row: PendingChangeRow): Promise<void> {
  switch (row.kind) {
    case "port_bindings": {
      const p = row.payload as PortBindingsPayload;
      const { after } = await computePortBindingsEffect(tx, deps, p);
      await setPortBindings(tx, requester, { switchId: p.switchId, interface: p.interface, bindings: after, ticketId: p.ticketId ?? undefined });
      return;
    }
    case "settings": {
      const p = row.payload as SettingsPayload;
      await updateSettingValues(tx, requester, p.patch, p.ticketId ?? undefined);
      return;
    }
    case "provisioning":
      // Approving queues the job; its run checks the guest again (a changed guest asks again).
      return approveProvisioningJob(tx as never, approver, (row.payload as ProvisioningPayload).jobId, row.id);
    case "vmac_release":
      await releaseVmac(tx, requester, (row.payload as VmacPayload).ip);
      return;
    case "proxmox_node":
      return applyNodeChange(tx, requester, row.payload as ProxmoxNodePayload);
    case "switch_delete": {
      const p = row.payload as SwitchDeletePayload;
      await deleteSwitch(tx, requester, { switchId: p.switchId, mode: "remove-bindings", confirmName: p.confirmName });
      return;
    }
    case "ipam_address": {
      const p = row.payload as IpamAddressPayload;
      await updateAddress(tx, requester, p.id, p.patch);
      return;
    }
    case "panel_port":
      return applyPortClaim(tx, row.payload as PanelPortClaim);
  }
}

/** The state moved: nothing is applied; the request now shows what it would do, and waits again. */
async function reask(db: DbOrTx, actor: Actor, row: PendingChangeRow, effect: ApprovalEffect): Promise<DecideOutcome> {
  const summary = effect.lines.join("\n");
  const why = "the state changed since this was shown: here is what it would do now; approve again to apply it";
  const [updated] = await db.transaction(async (tx) => {
    await writeAudit(tx, actor, {
      action: "approval.reasked",
      entityType: "pending_change",
      entityId: String(row.id),
      before: { summary: row.summary, digest: row.stateDigest },
      after: { summary, digest: effect.digest },
    });
    return tx.update(pendingChanges).set({ summary, stateDigest: effect.digest }).where(eq(pendingChanges.id, row.id)).returning();
  });
  return { ...updated!, reasked: { lines: effect.lines, digest: effect.digest, why } };
}

async function close(db: DbOrTx, actor: Actor, row: PendingChangeRow, status: "rejected" | "expired" | "failed", error: string | null): Promise<DecideOutcome> {
  return db.transaction(async (tx) => {
    const [done] = await tx
      .update(pendingChanges)
      .set({ status, decidedBy: actor.id, decidedAt: new Date(), error })
      .where(and(eq(pendingChanges.id, row.id), eq(pendingChanges.status, "pending")))
      .returning();
    if (!done) throw new AppError("CONFLICT", `approval ${row.id} was decided meanwhile`);
    if (status === "rejected" && row.kind === "provisioning") await rejectProvisioningJob(tx, actor, (row.payload as ProvisioningPayload).jobId);
    await writeAudit(tx, actor, {
      action: status === "rejected" ? "approval.rejected" : status === "expired" ? "approval.expired" : "approval.failed",
      entityType: "pending_change",
      entityId: String(row.id),
      before: { status: "pending" },
      after: { status, error, summary: row.summary },
    });
    return done;
  });
}

/** A row of the queue; a pending one carries what it would do NOW (never the stale text it was asked with). */
export type ApprovalView = PendingChangeRow & {
  expiresAt: Date | null;
  now?: { lines: string[]; digest: string; isMoved: boolean; requiredRole: "admin" | "finance" } | { error: string };
};

export async function listApprovals(db: DbOrTx, status?: PendingChangeRow["status"], deps?: ApprovalDeps): Promise<ApprovalView[]> {
  const rows = await db
    .select()
    .from(pendingChanges)
    .where(status ? eq(pendingChanges.status, status) : undefined)
    .orderBy(desc(pendingChanges.id))
    .limit(200);
  return describeApprovals(db, rows, deps);
}

/** What each pending row would do now (only the rows given: a page, never the whole queue). */
async function describeApprovals(db: DbOrTx, rows: PendingChangeRow[], deps?: ApprovalDeps): Promise<ApprovalView[]> {
  const settings = await getSettings(db);
  const now = new Date();
  return Promise.all(
    rows.map(async (r): Promise<ApprovalView> => {
      if (r.status !== "pending") return { ...r, expiresAt: null };
      const expiresAt = findExpiresAt(r.requestedAt, settings.approvalExpiryDays);
      if (isApprovalExpired(r.requestedAt, now, settings.approvalExpiryDays)) return { ...r, expiresAt, now: { error: "expired: ask again" } };
      try {
        const e = await computeApprovalEffect(db, deps ?? { secretsKey: Buffer.alloc(0) }, r);
        return { ...r, expiresAt, now: { lines: e.lines, digest: e.digest, isMoved: e.digest !== r.stateDigest, requiredRole: e.requiredRole } };
      } catch (e) {
        return { ...r, expiresAt, now: { error: (e as Error).message } };
      }
    }),
  );
}

type ApprovalFilters = FilterValues<(typeof approvalTableSpec)["filters"]>;

type RawApproval = {
  id: string | number;
  kind: PendingChangeRow["kind"];
  payload: unknown;
  summary: string;
  requested_by: string;
  requested_by_issuer: string | null;
  requested_by_subject: string | null;
  state_digest: string | null;
  requested_at: string | Date;
  ticket_id: string | null;
  status: PendingChangeRow["status"];
  decided_by: string | null;
  decided_at: string | Date | null;
  error: string | null;
};

const approvalSource: ListSource<ApprovalTableSort, RawApproval, PendingChangeRow> = {
  select: sql`id, kind, payload, summary, requested_by, requested_by_issuer, requested_by_subject, state_digest, requested_at, ticket_id, status, decided_by, decided_at, error`,
  from: sql`pending_changes`,
  sortColumns: {
    id: sql`pending_changes.id`,
    asked: sql`pending_changes.requested_at`,
    by: sql`pending_changes.requested_by`,
    kind: sql`pending_changes.kind`,
    status: sql`pending_changes.status`,
    decided: sql`pending_changes.decided_at`,
  },
  tiebreaker: sql`pending_changes.id`,
  mapRow: (r) => ({
    id: Number(r.id),
    kind: r.kind,
    payload: r.payload,
    summary: r.summary,
    requestedBy: r.requested_by,
    requestedByIssuer: r.requested_by_issuer,
    requestedBySubject: r.requested_by_subject,
    stateDigest: r.state_digest,
    requestedAt: new Date(r.requested_at),
    ticketId: r.ticket_id,
    status: r.status,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at === null ? null : new Date(r.decided_at),
    error: r.error,
  }),
};

export interface ApprovalTableView {
  sort: ApprovalTableSort;
  dir: SortDir;
  q: string;
  filters: ApprovalFilters;
  page: number;
  pageSize: number;
}

/**
 * One page of the approvals queue and how many requests its filters match; the pending ones on the
 * page carry what they would do now, computed for that page only.
 */
export async function listApprovalPage(db: DbOrTx, view: ApprovalTableView, deps?: ApprovalDeps): Promise<ListPage<ApprovalView>> {
  const f = view.filters;
  const q = view.q.trim();
  const like = `%${escapeLike(q)}%`;
  const page = await listPage(db, approvalSource, {
    where: [
      f.status ? eq(pendingChanges.status, f.status) : undefined,
      f.kind ? eq(pendingChanges.kind, f.kind) : undefined,
      f.by ? ilike(pendingChanges.requestedBy, `%${escapeLike(f.by)}%`) : undefined,
      f.from ? gte(pendingChanges.requestedAt, f.from) : undefined,
      f.to ? lte(pendingChanges.requestedAt, f.to) : undefined,
      q
        ? or(
            ilike(pendingChanges.summary, like),
            ilike(pendingChanges.ticketId, like),
            ilike(pendingChanges.requestedBy, like),
            ilike(pendingChanges.decidedBy, like),
          )
        : undefined,
    ],
    sort: view.sort,
    dir: view.dir,
    page: view.page,
    pageSize: view.pageSize,
  });
  return { ...page, rows: await describeApprovals(db, page.rows, deps) };
}
