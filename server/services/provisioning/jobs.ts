import { and, eq } from "drizzle-orm";
import { ipamAddresses, panelPorts, pendingChanges, provisioningJobs, type ProvisioningJobRow, type ProvisioningTaskRecord } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { provisioningQueue, jobKeys } from "@/lib/jobs/keys";
import { findNetTag, parseDiskValue, parseNetValue } from "@/lib/provisioning/guest-config";
import { findTarget, provisioningRequestSchema, type ProvisioningRequest } from "@/lib/provisioning/jobs";
import { planProvisioning, type CallEffect, type ProvisioningPlan } from "@/lib/provisioning/plan";
import { parseTicketId } from "@/lib/provisioning/policy";
import { findReadbackMismatches, hasConfigEffect } from "@/lib/provisioning/readback";
import { findTaskOutcome } from "@/lib/provisioning/task";
import { ProxmoxError, type ProxmoxClient } from "@/server/connectors/proxmox/client";
import type { Db, DbOrTx, Tx } from "@/server/db/client";
import type { Env } from "@/server/env";
import { enqueueJob } from "@/server/jobs/enqueue";
import { resolveProxmoxClient } from "../inventory/sources";
import { recordAddressEvent } from "../ipam/addresses";
import { claimNextFreeAddress } from "../ipam/prefixes";
import { writeAudit, type Actor } from "../platform/audit";
import { getSettings } from "../platform/settings";
import { requestPortsPush } from "../switches/switches";
import { readPlanFacts, toAddressFacts } from "./facts";

export interface ProvisioningDeps {
  proxmox: ProxmoxClient;
  /** Between two reads of a running task's status (default 1 s). */
  pollMs?: number;
  /** Aborts following a task (the worker shutting down; a test's simulated crash). */
  signal?: AbortSignal;
}

const RUNNER: Actor = { id: "system:provisioning" };

function parseRequest(input: unknown): ProvisioningRequest {
  const parsed = provisioningRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("BAD_REQUEST", `${issue.path.join(".") || "request"}: ${issue.message}`, { field: String(issue.path.at(-1) ?? "type") });
  }
  return parsed.data;
}

function refuse(plan: ProvisioningPlan): never {
  const r = plan.refusal!;
  throw new AppError("FORBIDDEN", `refused by rule ${r.rule}: ${r.detail}`, { field: r.rule });
}

/**
 * The dry run: the exact calls and the guard checks, from facts read now. Nothing is sent to
 * Proxmox and nothing is kept (the IPAM address shown is the claim's pick, rolled back).
 */
export async function planProvisioningJob(db: Db, deps: Pick<ProvisioningDeps, "proxmox">, actor: Actor, input: unknown): Promise<ProvisioningPlan> {
  const request = parseRequest(input);
  const plan = planProvisioning(request, await readPlanFacts(db, deps.proxmox, request, await getSettings(db)));
  await db.transaction((tx) =>
    writeAudit(tx, actor, {
      action: "provisioning.planned",
      entityType: "provisioning_plan",
      entityId: plan.kind,
      after: { summary: plan.summary, refusal: plan.refusal, approvalReasons: plan.approvalReasons },
    }),
  );
  return plan;
}

/**
 * A real run: needs a ticket id in the configured format, is planned again from fresh facts, refused
 * with the rule that refused it, then stored, audited and either queued or handed to a second
 * admin, in one transaction.
 */
export async function requestProvisioningJob(
  db: Db,
  deps: Pick<ProvisioningDeps, "proxmox">,
  actor: Actor,
  input: { request: unknown; ticketId?: string | null },
): Promise<ProvisioningJobRow> {
  const request = parseRequest(input.request);
  const settings = await getSettings(db);
  const ticketId = parseTicketId(input.ticketId, settings.provisioningTicketPattern);
  const plan = planProvisioning(request, await readPlanFacts(db, deps.proxmox, request, settings));
  if (plan.refusal) {
    await db.transaction((tx) =>
      writeAudit(tx, actor, {
        action: "provisioning.refused",
        entityType: "provisioning_plan",
        entityId: plan.kind,
        after: { summary: plan.summary, refusal: plan.refusal },
        ticketId,
      }),
    );
    refuse(plan);
  }
  return db.transaction(async (tx) => {
    const isWaiting = plan.approvalReasons.length > 0;
    const [job] = await tx
      .insert(provisioningJobs)
      .values({
        kind: plan.kind,
        payload: request,
        status: isWaiting ? "awaiting_approval" : "queued",
        ticketId,
        plan,
        configDigest: plan.configDigest,
        node: plan.node,
        vmid: plan.vmid,
        requestedBy: actor.id,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: "provisioning.requested",
      entityType: "provisioning_job",
      entityId: String(job!.id),
      after: { correlationId: job!.correlationId, summary: plan.summary, calls: plan.calls, approvalReasons: plan.approvalReasons },
      ticketId,
    });
    if (isWaiting) return askApproval(tx, job!, plan, plan.approvalReasons.join("; "));
    await enqueueRun(tx, job!);
    return job!;
  });
}

function enqueueRun(tx: DbOrTx, job: Pick<ProvisioningJobRow, "id" | "node">): Promise<number> {
  // A few attempts: a retry after a crash or a lost connection resumes from what the row recorded.
  return enqueueJob(
    tx,
    "run-provisioning-job",
    { jobId: job.id },
    { queueName: provisioningQueue(job.node), jobKey: jobKeys.runProvisioningJob(job.id), maxAttempts: 3 },
  );
}

/** A pending change on /it/approvals for the plan as it stands; the job waits for it. */
async function askApproval(tx: Tx, job: ProvisioningJobRow, plan: ProvisioningPlan, why: string): Promise<ProvisioningJobRow> {
  const [approval] = await tx
    .insert(pendingChanges)
    .values({
      kind: "provisioning",
      payload: { jobId: job.id, correlationId: job.correlationId, configDigest: plan.configDigest },
      summary: `provisioning #${job.id}: ${plan.summary} (${why})`,
      requestedBy: job.requestedBy,
      ticketId: job.ticketId,
    })
    .returning();
  const [row] = await tx
    .update(provisioningJobs)
    .set({ status: "awaiting_approval", plan, configDigest: plan.configDigest, approvalId: approval!.id, approvedBy: null, approvedAt: null })
    .where(eq(provisioningJobs.id, job.id))
    .returning();
  await writeAudit(
    tx,
    { id: job.requestedBy },
    {
      action: "approval.requested",
      entityType: "pending_change",
      entityId: String(approval!.id),
      after: { kind: "provisioning", jobId: job.id, correlationId: job.correlationId, why },
      ticketId: job.ticketId,
    },
  );
  return row!;
}

/**
 * A second admin approved the plan (called from the approval's transaction): the job is queued.
 * Only the latest approval asked counts: one for an older plan is refused.
 */
export async function approveProvisioningJob(tx: Tx, approver: Actor, jobId: number, approvalId: number): Promise<void> {
  const [job] = await tx.select().from(provisioningJobs).where(eq(provisioningJobs.id, jobId)).for("update");
  if (!job) throw new AppError("NOT_FOUND", `provisioning job ${jobId} does not exist`);
  if (job.requestedBy === approver.id) throw new AppError("FORBIDDEN", "a second admin must approve: you asked for this job");
  if (job.status !== "awaiting_approval" || job.approvalId !== approvalId)
    throw new AppError("CONFLICT", `provisioning job ${jobId} is ${job.status}; this approval is not the one it waits for`);
  await tx.update(provisioningJobs).set({ status: "queued", approvedBy: approver.id, approvedAt: new Date() }).where(eq(provisioningJobs.id, jobId));
  await enqueueRun(tx, job);
  await writeAudit(tx, approver, {
    action: "provisioning.approved",
    entityType: "provisioning_job",
    entityId: String(jobId),
    after: { correlationId: job.correlationId, configDigest: job.configDigest },
    ticketId: job.ticketId,
  });
}

export async function rejectProvisioningJob(tx: Tx, actor: Actor, jobId: number): Promise<void> {
  const [job] = await tx
    .update(provisioningJobs)
    .set({ status: "rejected", finishedAt: new Date() })
    .where(and(eq(provisioningJobs.id, jobId), eq(provisioningJobs.status, "awaiting_approval")))
    .returning();
  if (job)
    await writeAudit(tx, actor, {
      action: "provisioning.rejected",
      entityType: "provisioning_job",
      entityId: String(jobId),
      after: { correlationId: job.correlationId },
    });
}

async function loadJob(db: DbOrTx, jobId: number): Promise<ProvisioningJobRow> {
  const [job] = await db.select().from(provisioningJobs).where(eq(provisioningJobs.id, jobId));
  if (!job) throw new AppError("NOT_FOUND", `provisioning job ${jobId} does not exist`);
  return job;
}

/**
 * Runs a job to its end (the `run-provisioning-job` task). Safe to call again at any point: a job
 * already running resumes from what its row recorded (its UPIDs are followed, never re-sent).
 */
export async function runProvisioningJob(db: Db, deps: ProvisioningDeps, jobId: number): Promise<ProvisioningJobRow> {
  let job = await loadJob(db, jobId);
  if (job.status === "queued") job = await startRun(db, deps, job);
  if (job.status !== "running") return job;
  return continueRun(db, deps, job);
}

/** Plans again from fresh facts; a changed guest or a new reason to ask goes back to approval; then claims and starts. */
async function startRun(db: Db, deps: ProvisioningDeps, job: ProvisioningJobRow): Promise<ProvisioningJobRow> {
  if (!job.ticketId) return finish(db, job, "failed", { error: "a real run needs a ticket id" });
  const request = job.payload;
  const settings = await getSettings(db);
  // Nothing is claimed yet (that happens below): the VMID and the address are asked again.
  const plan = planProvisioning(request, await readPlanFacts(db, deps.proxmox, request, settings));
  if (plan.refusal) return finish(db, job, "failed", { error: `refused by rule ${plan.refusal.rule}: ${plan.refusal.detail}`, plan });
  const isApproved = job.approvedBy !== null;
  const isChanged = isApproved && plan.configDigest !== job.configDigest;
  if (plan.approvalReasons.length > 0 && (!isApproved || isChanged)) {
    const why = isChanged
      ? `the guest changed since the approval (config digest ${job.configDigest ?? "none"} → ${plan.configDigest ?? "none"}): planned again`
      : plan.approvalReasons.join("; ");
    return db.transaction(async (tx) => {
      await writeAudit(tx, RUNNER, {
        action: "provisioning.replanned",
        entityType: "provisioning_job",
        entityId: String(job.id),
        after: { correlationId: job.correlationId, why },
      });
      return askApproval(tx, job, plan, why);
    });
  }
  return db.transaction(async (tx) => {
    const [locked] = await tx.select().from(provisioningJobs).where(eq(provisioningJobs.id, job.id)).for("update");
    if (locked?.status !== "queued") return locked!;
    let finalPlan = plan;
    let address = job.address;
    if ((request.type === "assign_ip" || request.type === "create_ct") && !address) {
      // The atomic claim, in this transaction: the job holds its address from the moment it runs.
      const hostname = request.type === "create_ct" ? request.hostname : null;
      const row = await claimNextFreeAddress(tx, RUNNER, request.prefixId, {
        hostname,
        vmid: plan.vmid,
        service: `provisioning #${job.id}`,
        status: "planned",
      });
      address = row.address;
      finalPlan = await withClaimedAddress(tx, request, plan, address);
    }
    const [row] = await tx
      .update(provisioningJobs)
      .set({ status: "running", plan: finalPlan, vmid: finalPlan.vmid, address, startedAt: new Date() })
      .where(eq(provisioningJobs.id, job.id))
      .returning();
    await writeAudit(tx, RUNNER, {
      action: "provisioning.started",
      entityType: "provisioning_job",
      entityId: String(job.id),
      after: { correlationId: job.correlationId, calls: finalPlan.calls, address },
      ticketId: job.ticketId,
    });
    return row!;
  });
}

/** The plan with the claimed address in place of the one the dry run showed (pure apart from the prefix read). */
async function withClaimedAddress(tx: DbOrTx, request: ProvisioningRequest, plan: ProvisioningPlan, address: string): Promise<ProvisioningPlan> {
  if (request.type !== "assign_ip" && request.type !== "create_ct") return plan;
  const claimed = await toAddressFacts(tx, request.prefixId, address, true);
  const next = { ...plan, address: claimed, calls: plan.calls.map((c) => ({ ...c, params: { ...c.params } })) };
  const shown = plan.address;
  if (!shown || !claimed || shown.ip === claimed.ip) return next;
  // Only the address differs: swap it in every parameter that carries it.
  for (const c of next.calls) {
    for (const [k, v] of Object.entries(c.params)) if (typeof v === "string") c.params[k] = v.replace(`ip=${shown.ip}/`, `ip=${claimed.ip}/`);
    if (c.effect?.kind === "config") c.effect = { ...c.effect, value: c.effect.value.replace(`ip=${shown.ip}/`, `ip=${claimed.ip}/`) };
  }
  next.summary = plan.summary.replace(shown.ip, claimed.ip);
  return next;
}

async function continueRun(db: Db, deps: ProvisioningDeps, start: ProvisioningJobRow): Promise<ProvisioningJobRow> {
  let job = start;
  const target = findTarget(job.payload);
  const guest = { node: job.node, type: target.guestType, vmid: job.vmid ?? 0 };
  for (let i = 0; i < job.plan.calls.length; i++) {
    const call = job.plan.calls[i]!;
    let record = job.tasks.find((t) => t.call === i);
    if (!record && i < job.callsSent) continue;
    if (!record) {
      if (job.callInFlight === i) {
        // The call may have reached Proxmox before the worker died: look before sending it again.
        const seen = await findCallEffect(deps, guest, call.effect);
        if (seen === "unknown")
          return finish(db, job, "failed", {
            error: `interrupted after sending ${call.method} ${call.path}; whether it took effect cannot be told: check the guest, then request again`,
          });
        if (seen === "done") {
          job = await updateJob(db, job.id, { callsSent: i + 1, callInFlight: null });
          continue;
        }
      }
      job = await updateJob(db, job.id, { callInFlight: i });
      let upid: string | null;
      try {
        upid = await deps.proxmox.sendWrite(call);
      } catch (e) {
        // Proxmox answered with an error: nothing was done, and its words are the job's error. A lost
        // connection is thrown on: the retry finds the call in flight and looks first.
        if (e instanceof ProxmoxError && e.kind === "http") return finish(db, job, "failed", { error: e.message });
        throw e;
      }
      const tasks = upid ? [...job.tasks, { upid, node: job.node, call: i, status: "running" as const, log: [] }] : job.tasks;
      job = await updateJob(db, job.id, { callsSent: i + 1, callInFlight: null, tasks });
      record = job.tasks.find((t) => t.call === i);
      if (!record) continue;
    }
    if (record.status === "running") {
      const keep = async (r: ProvisioningTaskRecord) => {
        job = await updateJob(db, job.id, { tasks: job.tasks.map((t) => (t.upid === r.upid ? r : t)) });
      };
      const ended = await followTask(deps, record, keep);
      await keep(ended);
      record = ended;
    }
    if (record.status === "failed") return finish(db, job, "failed", { error: `Proxmox task ${record.upid} failed: ${record.exitstatus}` });
  }
  // Proxmox took every call: the guest must now hold what was planned, or nothing is called done (nor active in IPAM).
  let config: Record<string, unknown> | null = null;
  if (job.vmid && (hasConfigEffect(job.plan) || job.address)) {
    config = await deps.proxmox.getGuestConfig(guest);
    const mismatches = findReadbackMismatches(job.plan, config);
    if (mismatches.length)
      return finish(db, job, "failed", {
        error: `Proxmox accepted the change, but the guest's config read back differs from the plan: ${mismatches.join("; ")}`,
      });
  }
  return finishSucceeded(db, job, config);
}

/**
 * Polls the task's status until it stops. The log is read as it grows (from the lines already kept),
 * and each new part handed to `onLog`, so the console shows a long task's progress.
 */
async function followTask(
  deps: ProvisioningDeps,
  start: ProvisioningTaskRecord,
  onLog: (record: ProvisioningTaskRecord) => Promise<void>,
): Promise<ProvisioningTaskRecord> {
  let record = start;
  const readMore = async () => {
    const more = (await deps.proxmox.getTaskLog(record.node, record.upid, record.log.length)).map((l) => l.t);
    if (more.length) record = { ...record, log: [...record.log, ...more] };
    return more.length > 0;
  };
  for (;;) {
    deps.signal?.throwIfAborted();
    const outcome = findTaskOutcome(await deps.proxmox.getTaskStatus(record.node, record.upid));
    if (outcome.state !== "running") {
      await readMore();
      return outcome.state === "ok"
        ? { ...record, status: "ok", exitstatus: outcome.warnings ? `WARNINGS: ${outcome.warnings}` : "OK" }
        : { ...record, status: "failed", exitstatus: outcome.message };
    }
    if (await readMore()) await onLog(record);
    await sleep(deps.pollMs ?? 1_000, deps.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), reject(signal.reason as Error)), { once: true });
  });
}

/** Is the planned call's effect visible on the guest? (Checked before re-sending after an interruption.) */
async function findCallEffect(
  deps: ProvisioningDeps,
  guest: { node: string; type: "qemu" | "lxc"; vmid: number },
  effect: CallEffect | null,
): Promise<"done" | "not-done" | "unknown"> {
  if (!effect) return "unknown";
  if (effect.kind === "repeatable") return "not-done";
  for (;;) {
    const status = await deps.proxmox.getGuestStatus(guest);
    if (effect.kind === "exists") {
      if (!status) return "not-done";
      // A create still running holds the `create` lock: wait for it to end.
      if (status.lock !== "create") return "done";
      await sleep(deps.pollMs ?? 1_000, deps.signal);
      continue;
    }
    if (!status) return "unknown";
    if (effect.kind === "status") return status.status === effect.status ? "done" : "not-done";
    const config = await deps.proxmox.getGuestConfig(guest);
    if (effect.kind === "config") return config[effect.key] === effect.value ? "done" : "not-done";
    const disk = typeof config[effect.disk] === "string" ? parseDiskValue(config[effect.disk] as string) : null;
    return disk?.sizeGiB != null && disk.sizeGiB >= effect.atLeastGiB ? "done" : "not-done";
  }
}

async function updateJob(db: Db, id: number, set: Partial<ProvisioningJobRow>): Promise<ProvisioningJobRow> {
  const [row] = await db.update(provisioningJobs).set(set).where(eq(provisioningJobs.id, id)).returning();
  return row!;
}

async function finish(db: Db, job: ProvisioningJobRow, status: "failed", extra: { error: string; plan?: ProvisioningPlan }): Promise<ProvisioningJobRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(provisioningJobs)
      .set({ status, error: extra.error, finishedAt: new Date(), callInFlight: null, ...(extra.plan ? { plan: extra.plan } : {}) })
      .where(eq(provisioningJobs.id, job.id))
      .returning();
    if (job.address) {
      // The claimed address was never set on a guest (or the guest failed): it is released, with why.
      await tx
        .update(ipamAddresses)
        .set({ status: "released", updatedAt: new Date() })
        .where(and(eq(ipamAddresses.address, job.address), eq(ipamAddresses.status, "planned")));
      await recordAddressEvent(tx, RUNNER, job.address, "released", { provisioningJob: job.id, correlationId: job.correlationId, error: extra.error });
    }
    await writeAudit(tx, RUNNER, {
      action: "provisioning.failed",
      entityType: "provisioning_job",
      entityId: String(job.id),
      after: { correlationId: job.correlationId, error: extra.error },
      ticketId: job.ticketId,
    });
    return row!;
  });
}

/**
 * Done: an address set on a guest becomes active in IPAM with the guest as owner (VMID, name, MAC),
 * and the node's uplink ports are pushed again, as for any change the port-security loop follows.
 */
async function finishSucceeded(db: Db, job: ProvisioningJobRow, config: Record<string, unknown> | null): Promise<ProvisioningJobRow> {
  let owner: { hostname: string | null; mac: string | null; vlanVid: number | null } | null = null;
  if (job.address && config) {
    const net0 = typeof config.net0 === "string" ? config.net0 : "";
    const pairs = parseNetValue(net0);
    const mac = (pairs.find(([k]) => k === "hwaddr")?.[1] ?? pairs.find(([k]) => /^(virtio|e1000|rtl8139|vmxnet3)$/.test(k))?.[1] ?? "").toLowerCase() || null;
    const hostname = String(config.hostname ?? config.name ?? "") || null;
    owner = { hostname, mac, vlanVid: findNetTag(net0) ?? null };
  }
  return db.transaction(async (tx) => {
    let pushJobs: Record<string, number> = {};
    if (job.address && owner) {
      const [before] = await tx.select().from(ipamAddresses).where(eq(ipamAddresses.address, job.address));
      const [after] = await tx
        .update(ipamAddresses)
        .set({ status: "active", vmid: job.vmid, hostname: owner.hostname, mac: owner.mac, vlanVid: owner.vlanVid, updatedAt: new Date() })
        .where(eq(ipamAddresses.address, job.address))
        .returning();
      await recordAddressEvent(tx, RUNNER, job.address, "updated", {
        provisioningJob: job.id,
        correlationId: job.correlationId,
        vmid: job.vmid,
        mac: owner.mac,
      });
      await writeAudit(tx, RUNNER, { action: "ipam.address.update", entityType: "ip_address", entityId: job.address, before, after, ticketId: job.ticketId });
      const ports = await tx.select().from(panelPorts).where(eq(panelPorts.proxmoxNode, job.node));
      const pushed = await requestPortsPush(tx, ports, `provisioning:${job.correlationId}`);
      pushJobs = Object.fromEntries([...pushed].map(([switchId, jobId]) => [String(switchId), jobId]));
    }
    const result = { vmid: job.vmid, address: job.address, portSecurityPush: pushJobs };
    const [row] = await tx
      .update(provisioningJobs)
      .set({ status: "succeeded", result, finishedAt: new Date(), callInFlight: null })
      .where(eq(provisioningJobs.id, job.id))
      .returning();
    await writeAudit(tx, RUNNER, {
      action: "provisioning.succeeded",
      entityType: "provisioning_job",
      entityId: String(job.id),
      after: { correlationId: job.correlationId, ...result, upids: job.tasks.map((t) => t.upid) },
      ticketId: job.ticketId,
    });
    return row!;
  });
}

/** A run that cannot go on (no Proxmox configured, retries used up): recorded as failed, with why. */
export async function failProvisioningJob(db: Db, jobId: number, error: string): Promise<ProvisioningJobRow> {
  const job = await loadJob(db, jobId);
  if (job.status === "succeeded" || job.status === "failed" || job.status === "rejected") return job;
  return finish(db, job, "failed", { error });
}

/** The Proxmox provisioning writes to: the connection saved in the console, else the environment's. */
export async function requireProvisioningProxmox(db: DbOrTx, env: Env, secretsKey: Buffer): Promise<ProxmoxClient> {
  const client = await resolveProxmoxClient(db, env, secretsKey);
  if (!client) throw new AppError("UNAVAILABLE", "Proxmox is not configured (Settings → Connections)");
  return client;
}
