import { describe, expect, it } from "vitest";
import { computeRunCutoff, describeRunEvidence, findPayloadEvidence, findRunOutcome, findRunTrigger } from "./runs";

describe("job run facts", () => {
  it("calls a failed attempt retried while graphile will try again, failed on the last", () => {
    expect(findRunOutcome(false, 1, 1)).toBe("succeeded");
    expect(findRunOutcome(true, 1, 5)).toBe("retried");
    expect(findRunOutcome(true, 5, 5)).toBe("failed");
  });

  it("names what started a run, most specific first", () => {
    const base = { parent: null, auditActor: null };
    expect(findRunTrigger({ ...base, task: "backup-scheduler", payload: { _cron: { ts: "2026-12-06T03:00:00.000Z" } } })).toEqual({
      kind: "schedule",
      ref: "backup-scheduler at 2026-12-06 03:00 UTC",
    });
    expect(
      findRunTrigger({ ...base, task: "backup-switch", payload: { switchId: 1 }, parent: { jobId: 7, task: "backup-scheduler" }, auditActor: "a@x" }),
    ).toEqual({
      kind: "job",
      ref: "backup-scheduler #7",
    });
    expect(findRunTrigger({ ...base, task: "apply-stripe-event", payload: { eventId: "evt_1" } })).toEqual({ kind: "webhook", ref: "stripe event evt_1" });
    expect(findRunTrigger({ ...base, task: "collect-usage", payload: { requestedBy: "fin@x" } })).toEqual({ kind: "user", ref: "fin@x" });
    expect(findRunTrigger({ ...base, task: "backup-switch", payload: { reason: "on-demand" }, auditActor: "ops@x" })).toEqual({ kind: "user", ref: "ops@x" });
    expect(findRunTrigger({ ...base, task: "backup-switch", payload: { reason: "on-demand" }, auditActor: "system:demo" })).toEqual({
      kind: "system",
      ref: "system:demo",
    });
    expect(findRunTrigger({ ...base, task: "heartbeat", payload: { reason: "startup" } })).toEqual({ kind: "system", ref: "startup" });
  });

  it("links evidence to where it is shown", () => {
    expect(describeRunEvidence({ kind: "backup", id: "3/41" })).toEqual({ label: "backup #41", href: "/api/switches/3/backups/41" });
    expect(describeRunEvidence({ kind: "provisioning-job", id: "9" }).href).toBe("/it/provisioning/9");
    expect(describeRunEvidence({ kind: "usage-day", id: "2026-12-05" }).href).toBe("/it/billing?month=2026-12");
    expect(findPayloadEvidence("run-provisioning-job", { jobId: 9 })).toEqual({ kind: "provisioning-job", id: "9" });
    expect(findPayloadEvidence("heartbeat", { reason: "cron" })).toBeUndefined();
  });

  it("keeps runs finished within the retention", () => {
    expect(computeRunCutoff(new Date("2026-12-06T00:00:00Z"), 30).toISOString()).toBe("2026-11-06T00:00:00.000Z");
  });
});
