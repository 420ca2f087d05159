import { Time } from "@/components/ui/time";
import Link from "next/link";
import { DraftInvoicesButton, InvoiceStatusButtons, RecollectUsageForm, ResyncStripeButton } from "@/components/billing/billing-actions";
import { CreateQuoteForm, QuoteStatusButtons } from "@/components/billing/quote-actions";
import { UsageChart } from "@/components/billing/usage-chart";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { FilterSelect } from "@/components/ui/filter-fields";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DataTable, type DataTableColumn, type DataTableFilter } from "@/components/ui/data-table";
import { INVOICE_STATUSES, invoiceTableSpec } from "@/lib/billing/invoice-table";
import { parseTableState } from "@/lib/table/url-state";
import { BILLING_METERS, type BillingMeter } from "@/lib/billing/meters";
import { formatMilli, formatMoney } from "@/lib/billing/money";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Billing" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const METER_LABEL: Record<BillingMeter, string> = {
  cpu_hours: "vCPU-hours",
  ram_gb_hours: "RAM GB-hours",
  storage_gb_days: "Storage GB-days",
  ipv4_count: "Public IPv4 (IP-days)",
  bandwidth_p95_mbps: "Bandwidth 95th percentile (Mbit/s)",
};

function monthBounds(month: string | undefined, now = new Date()) {
  const m = month && /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? month : now.toISOString().slice(0, 7);
  const start = new Date(`${m}-01T00:00:00Z`);
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0));
  return { month: m, from: `${m}-01`, to: end.toISOString().slice(0, 10) };
}

const INVOICE_COLUMNS: DataTableColumn[] = [
  { id: "id", header: "#", isSortable: true },
  { id: "org", header: "Org", isSortable: true },
  { id: "status", header: "Status", isSortable: true },
  { id: "total", header: "Total", isSortable: true, className: "text-right" },
  { id: "issued", header: "Issued", isSortable: true },
  { id: "actions", header: "", className: "text-right" },
];

const INVOICE_FILTERS: DataTableFilter[] = [
  { kind: "select", param: "status", label: "Status", options: INVOICE_STATUSES },
  { kind: "text", param: "org", label: "Org" },
  { kind: "text", param: "currency", label: "Currency", placeholder: "EUR" },
  {
    kind: "select",
    param: "kind",
    label: "Kind",
    options: [
      { value: "invoice", label: "invoice" },
      { value: "credit-note", label: "credit note" },
    ],
  },
  { kind: "select", param: "payment", label: "Payment", options: [{ value: "failed", label: "failed" }] },
];

export default async function BillingPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageAccess("finance");
  const search = await searchParams;
  const sp = { month: one(search.month), meter: one(search.meter), by: one(search.by), invoice: one(search.invoice) };
  const { month, from, to } = monthBounds(sp.month);
  const meter = BILLING_METERS.find((m) => m === sp.meter) ?? "cpu_hours";
  const by = sp.by === "node" ? "node" : "org";
  const invoiceId = sp.invoice && /^\d+$/.test(sp.invoice) ? Number(sp.invoice) : undefined;
  // The invoices table's own view (`invoices.sort`, `invoices.status`…) of the month above.
  const invoiceView = parseTableState(invoiceTableSpec, search);
  const api = await getServerCaller();
  const [series, gaps, invoices, events, invoice, ledger, needsLook, lastCheck, quotes, orgs, skus] = await Promise.all([
    api.billing.usageSeries({ from, to, meter, by }),
    api.billing.usageGaps({ from, to }),
    api.billing.invoiceTable({ ...invoiceView.state, periodStart: from }),
    api.billing.stripeEvents(),
    invoiceId ? api.billing.invoice({ id: invoiceId }).catch(() => null) : null,
    api.billing.ledger(),
    api.billing.needsLook(),
    api.billing.lastLedgerCheck(),
    api.quotes.list(),
    api.billing.orgs(),
    api.billing.skus(),
  ]);
  const keys = [...new Set(series.map((s) => s.key))].sort().slice(0, 12);
  const days = [...new Set(series.map((s) => s.day))].sort();
  const cell = (day: string, key: string) => series.find((s) => s.day === day && s.key === key)?.quantityMilli;
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const query = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ month, meter, by, ...extra })) if (v) p.set(k, v);
    return `/it/billing?${p}`;
  };

  return (
    <>
      <PageHeader title="Billing" description="Usage per org and node, invoice drafts and their lines, Stripe's events. All days and times are UTC." />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3 text-sm">
        <label className="grid gap-1.5">
          <span>Month (UTC)</span>
          <input type="month" name="month" defaultValue={month} className="h-9 rounded-md border px-2" />
        </label>
        <FilterSelect name="meter" label="Meter" value={meter} options={BILLING_METERS} />
        <FilterSelect name="by" label="Per" value={by} options={["org", "node"]} />
        <button type="submit" className="bg-primary text-primary-foreground h-9 rounded-md px-4">
          Show
        </button>
      </form>

      <Card className="mb-6">
        <CardHeader>
          <CardTitle>
            Usage: {METER_LABEL[meter]} per {by}, {month}
          </CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <UsageChart
            days={days}
            keys={keys}
            unit={METER_LABEL[meter]}
            values={Object.fromEntries(
              days.map((d) => [
                d,
                Object.fromEntries(
                  keys.flatMap((k) => {
                    const v = cell(d, k);
                    return v === undefined ? [] : [[k, v / 1000]];
                  }),
                ),
              ]),
            )}
          />
          <p className="text-muted-foreground text-xs">Daily totals (thousandths shown as decimals); a missing day is a gap, never a zero.</p>
          <div className="overflow-x-auto [contain:inline-size]" tabIndex={0}>
            <Table data-testid="usage-table">
              <TableHeader>
                <TableRow>
                  <TableHead>Day (UTC)</TableHead>
                  {keys.map((k) => (
                    <TableHead key={k} className="text-right">
                      {k}
                    </TableHead>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {days.map((d) => (
                  <TableRow key={d}>
                    <TableCell className="font-mono text-xs">{d}</TableCell>
                    {keys.map((k) => {
                      const v = cell(d, k);
                      return (
                        <TableCell key={k} className="text-right tabular-nums">
                          {v === undefined ? "—" : formatMilli(v)}
                        </TableCell>
                      );
                    })}
                  </TableRow>
                ))}
                {days.length === 0 && <TableEmpty colSpan={keys.length + 1}>No usage collected for {month} yet.</TableEmpty>}
              </TableBody>
            </Table>
          </div>
          <div className="grid gap-1 text-sm" data-testid="usage-gaps">
            {gaps.map((g) => (
              <p key={g.source}>
                <span className="font-medium">{g.source}</span>:{" "}
                {g.missingDays.length === 0 ? (
                  "every day collected"
                ) : (
                  <span className="text-destructive">
                    {g.missingDays.length} day(s) missing
                    {g.missingDays.length <= 10 ? ` (${g.missingDays.join(", ")})` : ""}
                  </span>
                )}
                {g.failures.length > 0 && <span className="text-muted-foreground text-xs"> · last failure: {g.failures.at(-1)!.error}</span>}
                {g.warnings.length > 0 && (
                  <span className="block text-xs text-amber-700 dark:text-amber-400" data-testid={`usage-warning-${g.source}`}>
                    {g.warnings.length} day(s) with a warning; {g.warnings.at(-1)!.day}: {g.warnings.at(-1)!.warning}
                  </span>
                )}
              </p>
            ))}
          </div>
          <RecollectUsageForm defaultDay={yesterday} />
          <p className="text-sm">
            <a className="underline" href={`/api/billing/export/usage?from=${from}&to=${to}`} download>
              Download usage CSV ({month})
            </a>
          </p>
        </CardContent>
      </Card>

      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Invoices, {month}</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3">
          <div className="flex flex-wrap items-center gap-4">
            <DraftInvoicesButton periodStart={from} periodEnd={to} />
            <a className="text-sm underline" href={`/api/billing/export/quickbooks?periodStart=${from}`} download>
              QuickBooks Online import CSV
            </a>
            <a className="text-sm underline" href={`/api/billing/export/netsuite?periodStart=${from}`} download>
              NetSuite import CSV
            </a>
          </div>
          {invoiceView.errors.length > 0 && (
            <p className="text-destructive text-sm" role="alert">
              Bad filter (left out): {invoiceView.errors.join("; ")}
            </p>
          )}
          <DataTable
            label="Invoices"
            testId="invoices-table"
            paramPrefix={invoiceTableSpec.paramPrefix}
            columns={INVOICE_COLUMNS}
            filters={INVOICE_FILTERS}
            search={{ label: "Search", placeholder: "org, invoice #, Stripe id" }}
            state={invoiceView.state}
            total={invoices.total}
            isTotalCapped={invoices.isTotalCapped}
            exportHref={`/api/billing/export/invoices?periodStart=${from}`}
            emptyText={
              invoices.total === 0 && !invoiceView.state.q && Object.keys(invoiceView.state.filters).length === 0
                ? `No invoices for ${month}: draft them from the usage and licences.`
                : "No invoices match."
            }
            rows={invoices.rows.map((i) => ({
              id: i.id,
              cells: {
                id: (
                  <>
                    <Link className="underline" href={query({ invoice: String(i.id) })}>
                      {i.id}
                    </Link>
                    {i.correctsInvoiceId && <span className="text-muted-foreground text-xs"> credit for {i.correctsInvoiceId}</span>}
                  </>
                ),
                org: i.orgCode,
                status: (
                  <>
                    <Badge variant={i.status === "paid" ? "default" : "outline"}>{i.status}</Badge>
                    {i.paymentFailedAt && i.status === "issued" && <span className="text-destructive ml-2 text-xs">payment failed</span>}
                  </>
                ),
                total: <span className="tabular-nums">{formatMoney(i.totalMinor, i.currency)}</span>,
                issued: <Time value={i.issuedAt} />,
                actions: (
                  <span className="inline-flex items-center justify-end gap-3">
                    <a className="text-xs underline" href={`/api/billing/export/invoice?id=${i.id}`} download aria-label={`Download invoice ${i.id} CSV`}>
                      CSV
                    </a>
                    <InvoiceStatusButtons id={i.id} status={i.status} orgCode={i.orgCode} total={formatMoney(i.totalMinor, i.currency)} />
                  </span>
                ),
              },
            }))}
          />
        </CardContent>
      </Card>

      {invoice && (
        <Card className="mb-6" data-testid="invoice-lines">
          <CardHeader>
            <CardTitle>
              Invoice {invoice.invoice.id} · {invoice.orgName} · {invoice.invoice.periodStart} to {invoice.invoice.periodEnd} · {invoice.invoice.status}
            </CardTitle>
          </CardHeader>
          <CardContent>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Line</TableHead>
                  <TableHead>Description</TableHead>
                  <TableHead className="text-right">Quantity</TableHead>
                  <TableHead className="text-right">Unit price</TableHead>
                  <TableHead className="text-right">Amount</TableHead>
                  <TableHead>Billed by</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {invoice.lines.map((l) => (
                  <TableRow key={l.id}>
                    <TableCell>{l.position}</TableCell>
                    <TableCell>{l.description}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatMilli(l.quantityMilli)}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatMoney(l.unitPriceMinor, invoice.invoice.currency)}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatMoney(l.amountMinor, invoice.invoice.currency)}</TableCell>
                    <TableCell>
                      <Badge variant={l.billedBy === "stripe" ? "outline" : "default"}>{l.billedBy === "stripe" ? "Stripe" : "us"}</Badge>
                    </TableCell>
                  </TableRow>
                ))}
                <TableRow>
                  <TableCell colSpan={4} className="text-right font-medium">
                    Total
                  </TableCell>
                  <TableCell className="text-right font-medium tabular-nums">{formatMoney(invoice.invoice.totalMinor, invoice.invoice.currency)}</TableCell>
                  <TableCell />
                </TableRow>
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}

      <Card className="mb-6" data-testid="quotes">
        <CardHeader>
          <CardTitle>Quotes</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <CreateQuoteForm
            orgs={orgs.map((o) => ({ id: o.id, label: `${o.code} — ${o.name}` }))}
            skus={skus
              .filter((s) => s.isActive)
              .map((s) => ({ id: s.id, label: `${s.code} (${formatMoney(s.unitPriceMinor, s.currency)} / ${s.unit})`, currency: s.currency }))}
            defaultValidUntil={new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)}
          />
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Quote</TableHead>
                <TableHead>Org</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Valid until (UTC)</TableHead>
                <TableHead className="text-right">Total</TableHead>
                <TableHead>Documents</TableHead>
                <TableHead />
              </TableRow>
            </TableHeader>
            <TableBody>
              {quotes.map((q) => (
                <TableRow key={q.id}>
                  <TableCell>{q.number}</TableCell>
                  <TableCell>{q.orgCode}</TableCell>
                  <TableCell>
                    <Badge variant={q.status === "accepted" ? "default" : q.status === "sent" || q.status === "draft" ? "secondary" : "outline"}>
                      {q.status}
                    </Badge>
                  </TableCell>
                  <TableCell>{q.validUntil}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatMoney(q.totalMinor, q.currency)}</TableCell>
                  <TableCell>
                    <a className="mr-3 text-xs underline" href={`/api/billing/quotes/${q.id}/pdf`} download aria-label={`Download quote ${q.number} PDF`}>
                      PDF
                    </a>
                    <a className="text-xs underline" href={`/api/billing/quotes/${q.id}/csv`} download aria-label={`Download quote ${q.number} CSV`}>
                      CSV
                    </a>
                  </TableCell>
                  <TableCell>
                    <QuoteStatusButtons
                      id={q.id}
                      number={q.number}
                      status={q.status}
                      orgCode={q.orgCode}
                      total={formatMoney(q.totalMinor, q.currency)}
                      lines={q.lines}
                    />
                  </TableCell>
                </TableRow>
              ))}
              {quotes.length === 0 && <TableEmpty colSpan={7}>No quotes yet.</TableEmpty>}
            </TableBody>
          </Table>
        </CardContent>
      </Card>

      <Card className="mb-6" data-testid="ledger">
        <CardHeader>
          <CardTitle>Ledger: issued − credited − paid = balance</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3">
          <a className="text-sm underline" href="/api/billing/export/ledger" download>
            Download ledger CSV
          </a>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Org</TableHead>
                <TableHead className="text-right">Invoices</TableHead>
                <TableHead className="text-right">Issued</TableHead>
                <TableHead className="text-right">Credited</TableHead>
                <TableHead className="text-right">Paid</TableHead>
                <TableHead className="text-right">Balance</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {ledger.map((r) => (
                <TableRow key={`${r.orgCode}-${r.currency}`}>
                  <TableCell>{r.orgCode}</TableCell>
                  <TableCell className="text-right tabular-nums">{r.invoices}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatMoney(r.issuedMinor, r.currency)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatMoney(r.creditedMinor, r.currency)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatMoney(r.paidMinor, r.currency)}</TableCell>
                  <TableCell className="text-right font-medium tabular-nums">{formatMoney(r.balanceMinor, r.currency)}</TableCell>
                </TableRow>
              ))}
              {ledger.length === 0 && <TableEmpty colSpan={6}>No invoices yet.</TableEmpty>}
            </TableBody>
          </Table>
          <p className="text-sm" data-testid="ledger-check">
            {lastCheck ? (
              <>
                Last check <Time value={lastCheck.checkedAt} />: {lastCheck.flags.length} of {lastCheck.invoices} invoice(s) do not add up.
              </>
            ) : (
              "The nightly check has not run yet."
            )}
          </p>
          {lastCheck?.flags.map((f) => (
            <p key={f.invoiceId} className="text-destructive text-xs">
              Invoice {f.invoiceId} ({f.orgCode}): {f.flags.join("; ")}
            </p>
          ))}
          <div data-testid="needs-look" className="grid gap-1">
            <p className="text-sm font-medium">Stripe money that needs a look ({needsLook.length}): stored, applied to no invoice</p>
            {needsLook.map((e) => (
              <p key={e.id} className="text-xs">
                <span className="font-mono">{e.type}</span> {e.objectId}: {e.note}
              </p>
            ))}
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Stripe events</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3">
          <ResyncStripeButton />
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Received (UTC)</TableHead>
                <TableHead>Event</TableHead>
                <TableHead>Object</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Note</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {events.map((e) => (
                <TableRow key={e.id}>
                  <TableCell className="text-xs">
                    <Time value={e.receivedAt} />
                  </TableCell>
                  <TableCell className="font-mono text-xs">
                    {e.type}
                    <div className="text-muted-foreground">{e.id}</div>
                  </TableCell>
                  <TableCell className="font-mono text-xs">{e.objectId ?? ""}</TableCell>
                  <TableCell>{e.status}</TableCell>
                  <TableCell className="text-xs">{e.note ?? ""}</TableCell>
                </TableRow>
              ))}
              {events.length === 0 && <TableEmpty colSpan={5}>No Stripe events received.</TableEmpty>}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </>
  );
}
