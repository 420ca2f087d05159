import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { JobHelpers } from "graphile-worker";
import { parser } from "@prometheus-io/lezer-promql";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildLabNpmWorld } from "@/lab/edge-world";
import { startLabNpm } from "@/lab/npm";
import { APPROVAL_WAITING_ALERT_SECONDS, BACKUP_GRACE_SECONDS } from "@/lib/observability/conditions";
import { forgetNpmTokens } from "@/server/connectors/npm/client";
import { openJunosSession } from "@/server/connectors/junos/session";
import { createTestDatabase } from "@/server/testing/database";
import { readSample, serveMetrics } from "@/server/testing/metrics-server";
import { createCollectNpmTask } from "@/workers/tasks/collect-npm";
import { savePanelConnection } from "../port-security/connections";
import { createSwitch } from "../switches/switches";
import { evaluateNotifications } from "./notifications";

const database = await createTestDatabase();
const { db } = database;
const secretsKey = randomBytes(32);
const admin = { id: "admin@metrics.test" };
const helpers = { logger: { warn: () => {}, info: () => {}, error: () => {}, debug: () => {} } } as unknown as JobHelpers;
const metrics = await serveMetrics(database);
afterAll(() => metrics.close());

describe("collector freshness", () => {
  it("a collector that fails flips its freshness series (and the notifier's condition) until it succeeds again", async () => {
    const npm = await startLabNpm({ world: buildLabNpmWorld() });
    await savePanelConnection(db, secretsKey, admin, { kind: "npm", baseUrl: npm.url, tokenId: npm.identity, secret: npm.secret });
    const collect = () => createCollectNpmTask({ db, secretsKey, openJunosSession })({ trigger: "manual" }, helpers);
    const npmSeries = (text: string) => ({
      stale: readSample(text, "sankofa_collector_stale", { collector: "npm" }),
      success: readSample(text, "sankofa_collector_last_success_timestamp_seconds", { collector: "npm" }),
      failure: readSample(text, "sankofa_collector_last_failure_timestamp_seconds", { collector: "npm" }),
    });
    // Never ran: not configured is not stale, and the collector is not listed.
    expect(npmSeries(await metrics.scrape())).toEqual({ stale: undefined, success: undefined, failure: undefined });

    await collect();
    const good = npmSeries(await metrics.scrape());
    expect(good).toMatchObject({ stale: 0, failure: 0 });
    expect(good.success).toBeGreaterThan(0);
    expect((await evaluateNotifications(db)).started.map((c) => c.key)).not.toContain("collector-stale:npm");

    // NPM goes away (its process stops listening): the next collection fails.
    await npm.close();
    forgetNpmTokens();
    await collect();
    const bad = npmSeries(await metrics.scrape());
    expect(bad.stale).toBe(1);
    expect(bad.success).toBe(good.success);
    expect(bad.failure).toBeGreaterThan(good.success!);
    expect((await evaluateNotifications(db)).started.map((c) => c.key)).toContain("collector-stale:npm");

    // Back up at the same address: fresh again, and the condition clears.
    const again = await startLabNpm({ world: buildLabNpmWorld(), port: Number(new URL(npm.url).port) });
    afterAll(() => again.close());
    forgetNpmTokens();
    await collect();
    expect(npmSeries(await metrics.scrape()).stale).toBe(0);
    expect((await evaluateNotifications(db)).cleared).toContain("collector-stale:npm");
  });
});

interface Rule {
  alert: string;
  expr: string;
  annotations: { summary: string; runbook: string };
}

const root = path.resolve(import.meta.dirname, "../../..");
const rules = (parseYaml(readFileSync(path.join(root, "deploy/prometheus/alerts.yml"), "utf8")) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap(
  (g) => g.rules,
);

/** The metric names an expression selects, from the Prometheus project's own PromQL grammar; throws on a syntax error. */
function findMetricNames(expr: string): string[] {
  const tree = parser.parse(expr);
  const names: string[] = [];
  const errors: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(`at ${node.from}: ${expr.slice(Math.max(0, node.from - 10), node.to + 10)}`);
      if (node.name === "Identifier" && node.node.parent?.name === "VectorSelector") names.push(expr.slice(node.from, node.to));
    },
  });
  if (errors.length) throw new Error(`PromQL syntax error ${errors.join("; ")}`);
  return names;
}

describe("alert rules", () => {
  it("ship the ten alerts the issue names (and the unknown-VM one of #23), each with a runbook section", () => {
    expect(rules.map((r) => r.alert)).toEqual([
      "SankofaSwitchPushFailing",
      "SankofaSwitchUnreachable",
      "SankofaSwitchHostKeyChanged",
      "SankofaSwitchBackupOverdue",
      "SankofaSwitchDrift",
      "SankofaCollectorStale",
      "SankofaDuplicateAddress",
      "SankofaUnknownVmBound",
      "SankofaApprovalWaiting",
      "SankofaWorkerDead",
      "SankofaDoorRejecting",
    ]);
    const runbook = readFileSync(path.join(root, "docs/runbook.md"), "utf8");
    const anchors = [...runbook.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9]+/g, "-"));
    for (const r of rules) {
      expect(anchors, r.alert).toContain(r.annotations.runbook);
      const section = runbook.split(/^## /m).find((s) =>
        s
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .startsWith(r.annotations.runbook),
      )!;
      expect(section, r.alert).toMatch(/\*\*Means\.\*\*[\s\S]*\*\*Check\.\*\*[\s\S]*\*\*Clears\*\*/);
    }
  });

  it("parse with the Prometheus PromQL parser, and name only series a running server exports", async () => {
    // A switch, so the per-switch families have samples; the door counter has one once a door refused.
    await createSwitch(db, secretsKey, admin, { name: "alerts-sw", host: "127.0.0.1", port: 22, username: "u", password: "p" });
    const { countDoorRejection } = await import("@/server/metrics");
    countDoorRejection("tenantos-event", "auth");
    const text = await metrics.scrape();
    const typed = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const sampled = new Set([...text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)].map((m) => m[1]!));
    for (const r of rules) {
      const names = findMetricNames(r.expr);
      expect(names.length, r.alert).toBeGreaterThan(0);
      for (const name of names) {
        expect(typed.has(name), `${r.alert}: ${name} is not exported`).toBe(true);
        expect(sampled.has(name), `${r.alert}: ${name} has no sample`).toBe(true);
      }
    }
    // A misspelt metric would not pass: the check above is not vacuous.
    expect(typed.has("sankofa_switch_push_failed")).toBe(false);
    expect(() => findMetricNames("sankofa_up{component=}")).toThrow(/syntax error/);
  });

  it("the Grafana dashboard's queries parse and name only exported series too", async () => {
    const dashboard = JSON.parse(readFileSync(path.join(root, "deploy/grafana/sankofa-it.json"), "utf8")) as {
      panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
    };
    const text = await metrics.scrape();
    const exported = new Set(
      [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap((m) => (m[2] === "histogram" ? [`${m[1]}_bucket`, `${m[1]}_sum`, `${m[1]}_count`] : [m[1]!])),
    );
    const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ title: p.title, expr: t.expr })));
    expect(queries.length).toBeGreaterThan(10);
    for (const q of queries) for (const name of findMetricNames(q.expr)) expect(exported.has(name), `${q.title}: ${name}`).toBe(true);
    // What the issue asks the dashboard to show.
    for (const name of [
      "sankofa_switch_pushes_total",
      "sankofa_binding_latency_seconds_bucket",
      "sankofa_switch_drift_ports",
      "sankofa_collector_last_success_timestamp_seconds",
      "sankofa_jobs",
    ])
      expect(
        queries.some((q) => findMetricNames(q.expr).includes(name)),
        name,
      ).toBe(true);
  });

  it("use the built-in notifier's thresholds", () => {
    const byName = new Map(rules.map((r) => [r.alert, r.expr]));
    expect(byName.get("SankofaApprovalWaiting")).toContain(`> ${APPROVAL_WAITING_ALERT_SECONDS}`);
    expect(byName.get("SankofaSwitchBackupOverdue")).toContain(`+ ${BACKUP_GRACE_SECONDS}`);
    expect(byName.get("SankofaSwitchPushFailing")).toContain('error_kind!~"connection|timeout|host-key"');
  });

  it("name only bounded labels: no address, MAC or event id in any series", async () => {
    const text = await metrics.scrape();
    const labelNames = new Set([...text.matchAll(/[{,]([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((m) => m[1]!));
    for (const forbidden of ["ip", "mac", "address", "event", "event_id", "host", "server_id"]) expect(labelNames.has(forbidden), forbidden).toBe(false);
    expect(text).not.toMatch(/="(\d{1,3}\.){3}\d{1,3}"/);
  });
});
