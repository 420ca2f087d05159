import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  computeConditions,
  computeLongestGapSeconds,
  diffConditions,
  isCollectorStale,
  isWithinRateLimit,
  type Condition,
  type ConditionInputs,
  type SwitchObservation,
} from "./conditions";
import { escapeLabelValue, formatHistogram } from "./exposition";
import { buildChatBody, buildEmail, buildWebhookBody } from "./messages";

const now = new Date("2026-12-06T12:00:00Z");
const sw = (over: Partial<SwitchObservation> = {}): SwitchObservation => ({
  name: "sw1",
  lastPushStatus: "committed",
  lastPushErrorKind: null,
  hostKeyState: "approved",
  backupAgeSeconds: 3_600,
  lastBackupAt: new Date(now.getTime() - 3_600_000),
  driftPorts: 0,
  duplicateAddresses: 0,
  unknownVmAddresses: 0,
  ...over,
});
const inputs = (over: Partial<ConditionInputs> = {}): ConditionInputs => ({
  now,
  switches: [sw()],
  collectors: [],
  backupIntervalSeconds: 86_400,
  approvals: { waiting: 0, oldestWaitingSeconds: 0 },
  ...over,
});
const keys = (i: Partial<ConditionInputs>) => computeConditions(inputs(i)).map((c) => c.key);

describe("conditions", () => {
  it("a healthy switch raises nothing", () => {
    expect(keys({})).toEqual([]);
  });

  it("tells a refused push, an unreachable switch and a changed host key apart", () => {
    expect(keys({ switches: [sw({ lastPushStatus: "failed", lastPushErrorKind: "commit" })] })).toEqual(["push-failing:sw1"]);
    expect(keys({ switches: [sw({ lastPushStatus: "failed", lastPushErrorKind: "timeout" })] })).toEqual(["switch-unreachable:sw1"]);
    expect(keys({ switches: [sw({ lastPushStatus: "failed", lastPushErrorKind: "host-key", hostKeyState: "mismatch" })] })).toEqual(["host-key-changed:sw1"]);
    // Deferred and on-trial pushes are not failures.
    expect(keys({ switches: [sw({ lastPushStatus: "deferred" }), sw({ name: "sw2", lastPushStatus: "awaiting-confirm" })] })).toEqual([]);
  });

  it("a backup is overdue past the schedule's longest gap plus an hour; drift and duplicates per switch", () => {
    expect(keys({ switches: [sw({ backupAgeSeconds: 86_400 + 3_599 })] })).toEqual([]);
    expect(keys({ switches: [sw({ backupAgeSeconds: 86_400 + 3_601 })] })).toEqual(["backup-overdue:sw1"]);
    expect(keys({ switches: [sw({ driftPorts: 2, duplicateAddresses: 1 })] })).toEqual(["drift:sw1", "duplicate-address:sw1"]);
    expect(keys({ switches: [sw({ unknownVmAddresses: 2 })] })).toEqual(["unknown-vm:sw1"]);
  });

  it("an approval waiting over a day", () => {
    expect(keys({ approvals: { waiting: 2, oldestWaitingSeconds: 86_399 } })).toEqual([]);
    expect(keys({ approvals: { waiting: 2, oldestWaitingSeconds: 86_401 } })).toEqual(["approval-waiting"]);
  });

  it("a collector is stale after a failure newer than its success, or a success older than its schedule; Stripe only on failure", () => {
    const at = (h: number) => new Date(now.getTime() - h * 3_600_000);
    expect(isCollectorStale({ collector: "npm", lastSuccessAt: at(1), lastFailureAt: at(2) }, now)).toBe(false);
    expect(isCollectorStale({ collector: "npm", lastSuccessAt: at(2), lastFailureAt: at(1) }, now)).toBe(true);
    expect(isCollectorStale({ collector: "npm", lastSuccessAt: at(3), lastFailureAt: null }, now)).toBe(true);
    expect(isCollectorStale({ collector: "stripe", lastSuccessAt: at(24 * 30), lastFailureAt: null }, now)).toBe(false);
    expect(isCollectorStale({ collector: "proxmox", lastSuccessAt: null, lastFailureAt: at(1) }, now)).toBe(true);
  });

  it("a weekday-only schedule's longest gap is the weekend", () => {
    const d = (s: string) => new Date(s);
    expect(computeLongestGapSeconds([d("2026-12-04T03:00:00Z"), d("2026-12-07T03:00:00Z"), d("2026-12-08T03:00:00Z")])).toBe(3 * 86_400);
  });
});

describe("dedupe: over any sequence of evaluations, each condition's messages alternate firing, resolved", () => {
  it("never two firings (or two resolves) in a row for one key, and a message only on a change", () => {
    const universe = ["a", "b", "c", "d"].map((k): Condition => ({ key: k, kind: "drift", subject: k, summary: k }));
    fc.assert(
      fc.property(fc.array(fc.subarray(universe), { maxLength: 30 }), (rounds) => {
        let active: string[] = [];
        const sent = new Map<string, string[]>();
        for (const current of rounds) {
          const { started, cleared } = diffConditions(active, current);
          for (const c of started) sent.set(c.key, [...(sent.get(c.key) ?? []), "firing"]);
          for (const k of cleared) sent.set(k, [...(sent.get(k) ?? []), "resolved"]);
          active = current.map((c) => c.key);
        }
        for (const events of sent.values()) events.forEach((e, i) => expect(e).toBe(i % 2 === 0 ? "firing" : "resolved"));
        // Each key's firings equal the number of times it went from absent to present.
        for (const c of universe) {
          let rises = 0;
          let was = false;
          for (const r of rounds) {
            const is = r.some((x) => x.key === c.key);
            if (is && !was) rises++;
            was = is;
          }
          expect((sent.get(c.key) ?? []).filter((e) => e === "firing")).toHaveLength(rises);
        }
      }),
    );
  });

  it("the rate limit counts only the window", () => {
    const t = (msAgo: number) => new Date(now.getTime() - msAgo);
    expect(isWithinRateLimit([t(10), t(20)], now, 2, 1_000)).toBe(false);
    expect(isWithinRateLimit([t(10), t(2_000)], now, 2, 1_000)).toBe(true);
  });
});

describe("exposition and messages", () => {
  it("formats a database-counted histogram with +Inf, sum and count, escaping label values", () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(formatHistogram("x_seconds", "help", [1, 5], [{ labels: { switch: 'q"' }, buckets: [1, 2], sum: 4.5, count: 3 }])).toBe(
      [
        "# HELP x_seconds help",
        "# TYPE x_seconds histogram",
        'x_seconds_bucket{switch="q\\"",le="1"} 1',
        'x_seconds_bucket{switch="q\\"",le="5"} 2',
        'x_seconds_bucket{switch="q\\"",le="+Inf"} 3',
        'x_seconds_sum{switch="q\\""} 4.5',
        'x_seconds_count{switch="q\\""} 3',
        "",
      ].join("\n"),
    );
  });

  it("one message, three shapes", () => {
    const m = { event: "firing" as const, conditionKey: "push-failing:sw1", summary: "Switch sw1: the last push failed (commit)", at: now };
    expect(buildWebhookBody(m, now)).toMatchObject({ version: 1, event: "firing", kind: "push-failing", subject: "sw1", at: now.toISOString() });
    expect(buildChatBody(m).text).toBe(":rotating_light: [Sankofa IT] FIRING: Switch sw1: the last push failed (commit)");
    expect(buildEmail({ ...m, event: "resolved" }).subject).toBe("[Sankofa IT] RESOLVED: Switch sw1: the last push failed (commit)");
  });
});
