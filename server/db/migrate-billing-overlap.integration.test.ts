import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrationsFolder } from "./migrate";

// Upgrading a database made before the billing invariants (migration 0036): overlaps that the new
// exclusion constraints refuse must not leave the console unable to start with a bare constraint
// error. Drafts are superseded (audited); issued invoices billing the same days stop the upgrade with
// their numbers, and nothing is changed.

const INVARIANTS = "0036_billing_money_invariants";
const serverUrl = inject("testServerUrl");
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const made: string[] = [];
const tmp = mkdtempSync(path.join(tmpdir(), "sankofa-migrations-"));

/** The migrations folder as it was just before the invariants. */
function foldersBefore(tag: string): string {
  const dir = path.join(tmp, "before");
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalPath = path.join(dir, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: Array<{ tag: string }> };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}
const before = foldersBefore(INVARIANTS);

async function databaseBeforeInvariants() {
  const name = `sankofa_upgrade_${randomBytes(6).toString("hex")}`;
  await admin.unsafe(`create database ${name}`);
  made.push(name);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const sql = postgres(u.toString(), { max: 1, onnotice: () => {} });
  const db = drizzle(sql);
  await migrate(db, { migrationsFolder: before });
  const [org] = await sql<{ id: number }[]>`insert into billing_orgs (code, name) values ('acme', 'Acme') returning id`;
  return { sql, db, orgId: org!.id };
}

afterAll(async () => {
  for (const name of made) await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
  rmSync(tmp, { recursive: true, force: true });
});

describe("upgrading to the billing invariants", () => {
  it("voids an older draft that a newer draft overlaps, and says so in the audit log", async () => {
    const { sql, db, orgId } = await databaseBeforeInvariants();
    const [old] = await sql<{ id: number }[]>`insert into billing_invoices (org_id, period_start, period_end, currency, total_minor)
      values (${orgId}, '2026-06-01', '2026-06-30', 'usd', 1000) returning id`;
    const [fresh] = await sql<{ id: number }[]>`insert into billing_invoices (org_id, period_start, period_end, currency, total_minor)
      values (${orgId}, '2026-06-15', '2026-07-14', 'usd', 1200) returning id`;
    await migrate(db, { migrationsFolder });
    const rows = await sql<{ id: number; status: string }[]>`select id, status from billing_invoices order by id`;
    expect(rows).toEqual([
      { id: old!.id, status: "void" },
      { id: fresh!.id, status: "draft" },
    ]);
    const audit = await sql`select action, entity_id from audit_log where action = 'billing.draft.superseded'`;
    expect(audit).toEqual([{ action: "billing.draft.superseded", entity_id: String(old!.id) }]);
    await sql.end();
  });

  it("stops with the numbers of issued invoices billing the same days, and changes nothing", async () => {
    const { sql, db, orgId } = await databaseBeforeInvariants();
    const ids: number[] = [];
    for (const [start, end] of [
      ["2026-06-01", "2026-06-30"],
      ["2026-06-20", "2026-07-19"],
    ]) {
      const [r] = await sql<{ id: number }[]>`insert into billing_invoices (org_id, period_start, period_end, currency, status, total_minor, issued_at)
        values (${orgId}, ${start!}, ${end!}, 'usd', 'issued', 1000, now()) returning id`;
      ids.push(r!.id);
    }
    const failed = await migrate(db, { migrationsFolder }).then(
      () => null,
      (e: unknown) => e as Error & { cause?: Error },
    );
    expect(failed).not.toBeNull();
    const message = `${failed!.message} ${failed!.cause?.message ?? ""}`;
    expect(message).toContain(`issued invoices bill the same days twice: #${ids[0]} (2026-06-01..2026-06-30) and #${ids[1]} (2026-06-20..2026-07-19)`);
    // The migration ran in one transaction: the invariants are not half there.
    const [{ n }] = (await sql`select count(*)::int as n from pg_constraint where conname = 'billing_invoices_issued_no_overlap'`) as unknown as [
      { n: number },
    ];
    expect(n).toBe(0);
    expect((await sql`select status from billing_invoices order by id`).map((r) => r.status)).toEqual(["issued", "issued"]);
    await sql.end();
  });
});
