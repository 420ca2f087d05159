import { parse } from "csv-parse/sync";
import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, billingLicences, billingQuoteLines, billingQuotes } from "@/drizzle/schema";
import { ROLES } from "@/lib/auth/roles";
import { licencesOnAccept } from "@/lib/billing/quotes";
import { createTestDatabase } from "@/server/testing/database";
import { createCaller } from "@/server/trpc/root";
import { createContext } from "@/server/trpc/init";
import { parsedCronItems } from "@/workers/crontab";
import { createExpireQuotesTask } from "@/workers/tasks/expire-quotes";
import { createOrg, createSku } from "./catalogue";
import { handleQuoteDocument } from "./quote-documents";
import { acceptQuote, createQuote, declineQuote, expireQuotes, getQuoteDocument, listQuotes, sendQuote } from "./quotes";

// Issue 25, point 8a: quotes. None of this existed before (every test here failed on that code).
const { db } = await createTestDatabase();
const finance = { id: "finance@test.sankofa" };
let org: number;
let seats: number;
let cpu: number;
let usd: number;
const at = (iso: string) => ({ now: () => new Date(iso) });

beforeAll(async () => {
  org = (await createOrg(db, finance, { code: "kumasi", name: "Kumasi Web, Ltd" })).id;
  const sku = (code: string, kind: "infra" | "licence", unitPriceMinor: number, currency = "EUR") =>
    createSku(db, finance, {
      code,
      name: `${code} name`,
      kind,
      externalSkuId: `mkt-${code}`,
      unit: kind === "licence" ? "seat" : "vCPU-hour",
      unitPriceMinor,
      currency,
      meter: kind === "infra" ? "cpu_hours" : null,
    });
  seats = (await sku("console-seat", "licence", 2_500)).id;
  cpu = (await sku("vcpu-hour", "infra", 45)).id;
  usd = (await sku("console-seat-usd", "licence", 2_900, "USD")).id;
});

const draft = (validUntil = "2027-01-31", deps = at("2027-01-05T10:00:00Z")) =>
  createQuote(
    db,
    finance,
    {
      orgId: org,
      currency: "EUR",
      validUntil,
      lines: [
        { skuId: seats, quantityMilli: 5_000 },
        { skuId: cpu, quantityMilli: 720_500, description: "About 720.5 vCPU-hours a month" },
      ],
    },
    deps,
  );

describe("quotes", () => {
  it("prices every line from the catalogue and totals them, in the quote's currency", async () => {
    const q = await draft();
    const doc = await getQuoteDocument(db, q.id);
    expect(doc.lines.map((l) => [l.skuCode, l.quantityMilli, l.unitPriceMinor, l.amountMinor])).toEqual([
      ["console-seat", 5_000, 2_500, 12_500],
      ["vcpu-hour", 720_500, 45, 32_423], // 720.5 × 0.45 = 324.225 → 324.23
    ]);
    expect(doc.totalMinor).toBe(12_500 + 32_423);
    expect(doc.status).toBe("draft");
    await expect(
      createQuote(
        db,
        finance,
        { orgId: org, currency: "EUR", validUntil: "2027-01-31", lines: [{ skuId: usd, quantityMilli: 1000 }] },
        at("2027-01-05T00:00:00Z"),
      ),
    ).rejects.toThrow("priced in USD");
    await expect(
      createQuote(
        db,
        finance,
        { orgId: org, currency: "EUR", validUntil: "2027-01-31", lines: [{ skuId: seats, quantityMilli: 1500 }] },
        at("2027-01-05T00:00:00Z"),
      ),
    ).rejects.toThrow("whole seats");
    await expect(draft("2027-01-04")).rejects.toThrow("already past");
  });

  it("accepts a sent quote within its validity: licences for its licence lines, in one audited transaction", async () => {
    const q = await draft();
    await expect(acceptQuote(db, finance, q.id, at("2027-01-06T00:00:00Z"))).rejects.toThrow("draft: it cannot become accepted");
    await sendQuote(db, finance, q.id, at("2027-01-06T09:00:00Z"));
    // What the Accept dialog lists (from the page's quote list) is what accepting creates.
    const listed = (await listQuotes(db)).find((r) => r.id === q.id)!;
    const promised = licencesOnAccept(listed.lines).map((l) => l.seats);
    // Its last valid day counts, to the last second (UTC).
    const { quote, licenceIds } = await acceptQuote(db, finance, q.id, at("2027-01-31T23:59:59Z"));
    const created = await db.select().from(billingLicences).where(inArray(billingLicences.id, licenceIds));
    expect(created.map((l) => l.seatCount)).toEqual(promised);
    expect(quote.status).toBe("accepted");
    expect(licenceIds).toHaveLength(1);
    const [licence] = await db.select().from(billingLicences).where(eq(billingLicences.id, licenceIds[0]!));
    expect(licence).toMatchObject({ orgId: org, skuId: seats, seatCount: 5, status: "active", validFrom: new Date("2027-01-31T23:59:59Z") });
    const lines = await db.select().from(billingQuoteLines).where(eq(billingQuoteLines.quoteId, q.id));
    expect(lines.map((l) => l.licenceId).sort()).toEqual([licenceIds[0], null].sort());
    const audit = await db.select().from(auditLog).where(eq(auditLog.actor, finance.id));
    expect(audit.filter((a) => a.action === "billing.quote.accept" && a.entityId === String(q.id))).toHaveLength(1);
    expect(audit.filter((a) => a.action === "billing.licence.create" && a.entityId === String(licenceIds[0]))).toHaveLength(1);
    await expect(acceptQuote(db, finance, q.id, at("2027-01-20T00:00:00Z"))).rejects.toThrow("accepted: it cannot become accepted");
    await expect(declineQuote(db, finance, q.id)).rejects.toThrow("cannot become declined");
  });

  it("refuses to accept a quote past its last day, whether or not the nightly run has marked it expired", async () => {
    const q = await draft("2027-02-10");
    await sendQuote(db, finance, q.id, at("2027-02-01T00:00:00Z"));
    const before = await db.select().from(billingLicences);
    // Checked at accept: the day after, not yet marked.
    await expect(acceptQuote(db, finance, q.id, at("2027-02-11T00:00:01Z"))).rejects.toThrow("expired");
    expect((await getQuoteDocument(db, q.id)).status).toBe("sent");
    // The nightly run marks it (audited); an expired quote can never be accepted.
    expect(await expireQuotes(db, { id: "system:test" }, at("2027-02-11T00:10:00Z"))).toContain(q.id);
    expect((await getQuoteDocument(db, q.id)).status).toBe("expired");
    await expect(acceptQuote(db, finance, q.id, at("2027-02-05T00:00:00Z"))).rejects.toThrow("expired: it cannot become accepted");
    expect(await db.select().from(billingLicences)).toHaveLength(before.length);
    const [row] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "billing.quote.expire"), eq(auditLog.entityId, String(q.id))));
    expect(row?.actor).toBe("system:test");
  });

  it("is expired by a nightly task on the crontab", async () => {
    expect(parsedCronItems.map((c) => c.task)).toContain("expire-quotes");
    const q = await draft("2027-03-01", at("2027-02-20T00:00:00Z"));
    const task = createExpireQuotesTask({ db } as never, () => new Date("2027-03-02T00:05:00Z"));
    await task({}, { logger: { info: () => {} } } as never);
    expect((await getQuoteDocument(db, q.id)).status).toBe("expired");
  });

  it("keeps money and states in the database's hands too", async () => {
    const q = await draft();
    const refuse = (statement: ReturnType<typeof sql>) => expect(db.execute(statement)).rejects.toThrow();
    await refuse(sql`update billing_quotes set status = 'accepted', accepted_at = now() where id = ${q.id}`); // draft → accepted skips sent
    await refuse(sql`update billing_quotes set total_minor = -1 where id = ${q.id}`);
    await refuse(sql`update billing_quotes set currency = 'euro' where id = ${q.id}`);
    await refuse(sql`update billing_quote_lines set amount_minor = -5 where quote_id = ${q.id}`);
    await refuse(sql`update billing_quote_lines set amount_minor = amount_minor + 1 where quote_id = ${q.id} and position = 1`); // total ≠ sum of lines
    await sendQuote(db, finance, q.id, at("2027-01-06T00:00:00Z"));
    await refuse(sql`update billing_quote_lines set quantity_milli = 1000 where quote_id = ${q.id}`); // lines fixed once sent
    await refuse(sql`update billing_quotes set status = 'accepted', accepted_at = '2027-02-01T00:00:00Z' where id = ${q.id}`); // after its last day
    await db.execute(sql`update billing_quotes set status = 'declined' where id = ${q.id}`);
    await refuse(sql`update billing_quotes set status = 'sent' where id = ${q.id}`); // final
  });

  it("is sent as a CSV and a PDF with the page's figures, to finance and admins only", async () => {
    const q = await draft();
    const doc = await getQuoteDocument(db, q.id);
    const csvRes = (await handleQuoteDocument(db, String(q.id), "csv"))!;
    expect(csvRes.headers.get("content-type")).toContain("text/csv");
    const rows = parse(await csvRes.text(), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => Number(r.amount_minor)).reduce((a, b) => a + b, 0)).toBe(doc.totalMinor);
    expect(rows[0]).toMatchObject({
      schema_version: "billing-quote/1",
      org_code: "kumasi",
      valid_until_utc: "2027-01-31",
      currency: "EUR",
      sku_code: "console-seat",
    });
    const pdfRes = (await handleQuoteDocument(db, String(q.id), "pdf"))!;
    expect(pdfRes.headers.get("content-type")).toBe("application/pdf");
    const pdf = Buffer.from(await pdfRes.arrayBuffer());
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.subarray(-6).toString("latin1")).toContain("%%EOF");

    const user = (roles: string[]) => ({
      id: roles.join("+"),
      email: `${roles.join("+")}@test.sankofa`,
      name: "t",
      roles,
      authTime: Math.floor(Date.now() / 1000),
    });
    const caller = (roles: string[]) => createCaller(createContext({ db, user: user(roles) as never, env: {} as never }));
    await expect(caller([ROLES.viewer]).quotes.list()).rejects.toThrow();
    await expect(caller([ROLES.viewer]).quotes.get({ id: q.id })).rejects.toThrow();
    expect((await caller([ROLES.finance]).quotes.get({ id: q.id })).totalMinor).toBe(doc.totalMinor);
    expect((await caller([ROLES.admin]).quotes.list()).some((r) => r.id === q.id)).toBe(true);
    const [stored] = await db.select().from(billingQuotes).where(eq(billingQuotes.id, q.id));
    expect(stored!.totalMinor).toBe(doc.totalMinor);
  });
});
