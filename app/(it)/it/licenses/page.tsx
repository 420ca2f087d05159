import { AssignSeatForm, ChangeSeatsForm, CreateLicenceForm, CreateOrgForm, CreateSkuForm, RevokeLicenceButton } from "@/components/billing/billing-actions";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { BILLING_METERS } from "@/lib/billing/meters";
import { formatMoney } from "@/lib/billing/money";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Licenses" };

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "open");

export default async function LicensesPage() {
  await requirePageAccess("finance");
  const api = await getServerCaller();
  const [licences, skus, orgList, mapping] = await Promise.all([api.billing.licences(), api.billing.skus(), api.billing.orgs(), api.billing.keycloakMapping()]);
  const live = licences.filter((l) => l.status === "active" || l.status === "past_due");
  const expiring = live.filter((l) => l.isExpiringSoon);
  const overUsed = licences.filter((l) => l.isOverUsed);
  const orgs = [...new Set(licences.map((l) => l.orgCode))];

  return (
    <>
      <PageHeader title="Licenses" description="Licences and entitlements by org and SKU, with their seats; Stripe's subscriptions appear here on their own." />
      <div className="mb-6 grid gap-6 md:grid-cols-2">
        <Card data-testid="expiring-soon">
          <CardHeader>
            <CardTitle>Expiring within 30 days</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-1 text-sm">
            {expiring.map((l) => (
              <p key={l.id}>
                {l.orgCode} · {l.skuName} · licence {l.id} · ends {day(l.validTo)}
              </p>
            ))}
            {expiring.length === 0 && <p className="text-muted-foreground">None.</p>}
          </CardContent>
        </Card>
        <Card data-testid="over-used">
          <CardHeader>
            <CardTitle>Over-used seats</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-1 text-sm">
            {overUsed.map((l) => (
              <p key={l.id} className="text-destructive">
                {l.orgCode} · {l.skuName} · licence {l.id}: {l.assigned} assigned, {l.seatCount} bought
              </p>
            ))}
            {overUsed.length === 0 && <p className="text-muted-foreground">None.</p>}
          </CardContent>
        </Card>
      </div>

      {orgs.map((org) => (
        <Card key={org} className="mb-6">
          <CardHeader>
            <CardTitle>{org}</CardTitle>
          </CardHeader>
          <CardContent>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Licence</TableHead>
                  <TableHead>SKU</TableHead>
                  <TableHead>Seats</TableHead>
                  <TableHead>Valid (UTC)</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Holders</TableHead>
                  <TableHead />
                </TableRow>
              </TableHeader>
              <TableBody>
                {licences
                  .filter((l) => l.orgCode === org)
                  .map((l) => (
                    <TableRow key={l.id}>
                      <TableCell>
                        {l.id}
                        {l.project && <div className="text-muted-foreground text-xs">{l.project}</div>}
                        {l.externalRef && <div className="text-muted-foreground font-mono text-xs">{l.externalRef}</div>}
                      </TableCell>
                      <TableCell>{l.skuName}</TableCell>
                      <TableCell className={l.isOverUsed ? "text-destructive tabular-nums" : "tabular-nums"}>
                        {l.assigned}/{l.seatCount}
                      </TableCell>
                      <TableCell className="text-xs">
                        {day(l.validFrom)} – {day(l.validTo)}
                      </TableCell>
                      <TableCell>
                        <Badge variant={l.status === "active" ? "default" : "outline"}>{l.status}</Badge>
                      </TableCell>
                      <TableCell className="text-xs">{l.holders.join(", ")}</TableCell>
                      <TableCell>
                        {(l.status === "active" || l.status === "past_due") && (
                          <div className="flex items-end gap-2">
                            <AssignSeatForm licenceId={l.id} />
                            {!l.externalRef && <ChangeSeatsForm licenceId={l.id} seatCount={l.seatCount} />}
                            {!l.externalRef && <RevokeLicenceButton licenceId={l.id} sku={l.skuName} holders={l.holders} />}
                          </div>
                        )}
                      </TableCell>
                    </TableRow>
                  ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      ))}
      {orgs.length === 0 && <p className="text-muted-foreground mb-6 text-sm">No licences yet.</p>}

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
