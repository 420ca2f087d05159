import Link from "next/link";
import { AssignSeatForm, ChangeSeatsForm, CreateLicenceForm, CreateOrgForm, CreateSkuForm, RevokeLicenceButton } from "@/components/billing/billing-actions";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DataTable, type DataTableColumn, type DataTableFilter } from "@/components/ui/data-table";
import { EXPIRING_DAYS, LICENCE_STATUSES, licenceTableSpec } from "@/lib/billing/licence-table";
import { parseTableState } from "@/lib/table/url-state";
import { BILLING_METERS } from "@/lib/billing/meters";
import { formatMoney } from "@/lib/billing/money";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Licenses" };

// Rows per card; a provider with hundreds expiring reads them in the table.
const CARD_ROWS = 10;

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "open");

const COLUMNS: DataTableColumn[] = [
  { id: "org", header: "Org", isSortable: true },
  { id: "id", header: "Licence", isSortable: true },
  { id: "sku", header: "SKU", isSortable: true },
  { id: "seats", header: "Seats", isSortable: true },
  { id: "validTo", header: "Valid (UTC)", isSortable: true },
  { id: "status", header: "Status", isSortable: true },
  { id: "holders", header: "Holders" },
  { id: "actions", header: "" },
];

const FILTERS: DataTableFilter[] = [
  { kind: "text", param: "org", label: "Org" },
  { kind: "text", param: "sku", label: "SKU" },
  { kind: "select", param: "status", label: "Status", options: LICENCE_STATUSES },
  {
    kind: "select",
    param: "flag",
    label: "Flag",
    options: [
      { value: "expiring", label: `expiring within ${EXPIRING_DAYS} days` },
      { value: "over-used", label: "over-used seats" },
    ],
  },
  { kind: "select", param: "source", label: "Source", options: ["stripe", "manual"] },
];

type Search = Record<string, string | string[] | undefined>;

export default async function LicensesPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageAccess("finance");
  const view = parseTableState(licenceTableSpec, await searchParams);
  const api = await getServerCaller();
  // The cards and the per-SKU sums read every licence (a few per org and SKU); the list is paged.
  const [licences, page, skus, orgList, mapping] = await Promise.all([
    api.billing.licences(),
    api.billing.licenceTable(view.state),
    api.billing.skus(),
    api.billing.orgs(),
    api.billing.keycloakMapping(),
  ]);
  const live = licences.filter((l) => l.status === "active" || l.status === "past_due");
  const expiring = live.filter((l) => l.isExpiringSoon);
  const overUsed = licences.filter((l) => l.isOverUsed);
  // The cards name the first few; the table's flag filter lists them all.
  const more = (n: number, flag: string) =>
    n > CARD_ROWS && (
      <Link className="underline" href={`/it/licenses?flag=${flag}`}>
        All {n} in the table
      </Link>
    );

  return (
    <>
      <PageHeader title="Licenses" description="Licences and entitlements by org and SKU, with their seats; Stripe's subscriptions appear here on their own." />
      <div className="mb-6 grid gap-6 md:grid-cols-2">
        <Card data-testid="expiring-soon">
          <CardHeader>
            <CardTitle>Expiring within 30 days</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-1 text-sm">
            {expiring.slice(0, CARD_ROWS).map((l) => (
              <p key={l.id}>
                {l.orgCode} · {l.skuName} · licence {l.id} · ends {day(l.validTo)}
              </p>
            ))}
            {expiring.length === 0 && <p className="text-muted-foreground">None.</p>}
            {more(expiring.length, "expiring")}
          </CardContent>
        </Card>
        <Card data-testid="over-used">
          <CardHeader>
            <CardTitle>Over-used seats</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-1 text-sm">
            {overUsed.slice(0, CARD_ROWS).map((l) => (
              <p key={l.id} className="text-destructive">
                {l.orgCode} · {l.skuName} · licence {l.id}: {l.assigned} assigned, {l.seatCount} bought
              </p>
            ))}
            {overUsed.length === 0 && <p className="text-muted-foreground">None.</p>}
            {more(overUsed.length, "over-used")}
          </CardContent>
        </Card>
      </div>

      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Licences</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3">
          {view.errors.length > 0 && (
            <p className="text-destructive text-sm" role="alert">
              Bad filter (left out): {view.errors.join("; ")}
            </p>
          )}
          <DataTable
            label="Licences"
            testId="licences-table"
            columns={COLUMNS}
            filters={FILTERS}
            search={{ label: "Search", placeholder: "licence #, project, holder, si_…" }}
            state={view.state}
            total={page.total}
            isTotalCapped={page.isTotalCapped}
            emptyText={page.total === 0 && !view.state.q && Object.keys(view.state.filters).length === 0 ? "No licences yet." : "No licences match."}
            rows={page.rows.map((l) => ({
              id: l.id,
              cells: {
                org: l.orgCode,
                id: (
                  <>
                    {l.id}
                    {l.project && <div className="text-muted-foreground text-xs">{l.project}</div>}
                    {l.externalRef && <div className="text-muted-foreground font-mono text-xs">{l.externalRef}</div>}
                  </>
                ),
                sku: l.skuName,
                seats: (
                  <span className={l.isOverUsed ? "text-destructive tabular-nums" : "tabular-nums"}>
                    {l.assigned}/{l.seatCount}
                  </span>
                ),
                validTo: (
                  <span className="text-xs">
                    {day(l.validFrom)} – {day(l.validTo)}
                  </span>
                ),
                status: <Badge variant={l.status === "active" ? "default" : "outline"}>{l.status}</Badge>,
                holders: <span className="text-xs">{l.holders.join(", ")}</span>,
                actions: (l.status === "active" || l.status === "past_due") && (
                  <div className="flex items-end gap-2">
                    <AssignSeatForm licenceId={l.id} />
                    {!l.externalRef && <ChangeSeatsForm licenceId={l.id} seatCount={l.seatCount} />}
                    {!l.externalRef && <RevokeLicenceButton licenceId={l.id} sku={l.skuName} holders={l.holders} />}
                  </div>
                ),
              },
            }))}
          />
        </CardContent>
      </Card>

      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Grant a licence</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <p className="text-muted-foreground text-sm">Licences from Stripe subscriptions arrive by themselves; grant one by hand here (audited).</p>
          <CreateLicenceForm
            skus={skus.filter((s) => s.kind === "licence" && s.isActive).map((s) => ({ id: s.id, name: s.name }))}
            orgs={orgList.map((o) => ({ id: o.id, code: o.code }))}
          />
          <CreateOrgForm />
        </CardContent>
      </Card>

      <Card className="mb-6">
        <CardHeader>
          <CardTitle>By SKU</CardTitle>
        </CardHeader>
        <CardContent>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>SKU</TableHead>
                <TableHead>Marketplace id</TableHead>
                <TableHead>Price</TableHead>
                <TableHead>Live licences</TableHead>
                <TableHead>Seats assigned / bought</TableHead>
                <TableHead>Grants group</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {skus.map((s) => {
                const mine = live.filter((l) => l.skuId === s.id);
                return (
                  <TableRow key={s.id}>
                    <TableCell>
                      {s.name} <span className="text-muted-foreground font-mono text-xs">{s.code}</span>
                    </TableCell>
                    <TableCell className="font-mono text-xs">{s.externalSkuId}</TableCell>
                    <TableCell className="tabular-nums">
                      {formatMoney(s.unitPriceMinor, s.currency)} / {s.unit}
                    </TableCell>
                    <TableCell>{mine.length}</TableCell>
                    <TableCell className="tabular-nums">
                      {mine.reduce((a, l) => a + l.assigned, 0)} / {mine.reduce((a, l) => a + l.seatCount, 0)}
                    </TableCell>
                    <TableCell className="font-mono text-xs">{s.grantsGroup ?? ""}</TableCell>
                  </TableRow>
                );
              })}
              {skus.length === 0 && <TableEmpty colSpan={6}>No SKUs in the catalogue.</TableEmpty>}
            </TableBody>
          </Table>
          <div className="mt-4">
            <CreateSkuForm meters={BILLING_METERS} />
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Keycloak mapping</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-2 text-sm">
          <p className="text-muted-foreground">Which Keycloak groups the live entitlements grant, and the users holding them (JSON, for the realm sync).</p>
          <pre tabIndex={0} className="bg-muted [contain:inline-size] max-h-80 overflow-auto rounded p-3 text-xs" data-testid="keycloak-mapping">
            {JSON.stringify(mapping, null, 2)}
          </pre>
        </CardContent>
      </Card>
    </>
  );
}
