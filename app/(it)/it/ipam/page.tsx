import { Time } from "@/components/ui/time";
import Link from "next/link";
import { DeclaredImportForm } from "@/components/inventory/declared-import-form";
import { ImportFromPathsButton } from "@/components/inventory/import-from-paths-button";
import { CreateAddressForm, CsvImportForm, EditAddressForm, NextFreeButton, ReleaseButton } from "@/components/ipam/ipam-actions";
import { PrefixUtilizationChart } from "@/components/ipam/prefix-utilization-chart";
import { DeletePrefixButton, DeleteVlanButton, PrefixForm, ReserveAddressForm, VlanForm } from "@/components/ipam/ipam-editing";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { FilterInput, FilterSelect } from "@/components/ui/filter-fields";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasAccess } from "@/lib/auth/roles";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "IPAM" };

type Search = { q?: string; status?: string; prefix?: string; sort?: string; after?: string; history?: string; editPrefix?: string; editVlan?: string };
const STATUSES = ["planned", "active", "deprecated", "released"] as const;

function decodeCursor(raw: string | undefined) {
  if (!raw) return undefined;
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as { address: string; hostname: string | null; id: number };
    return typeof c.address === "string" && typeof c.id === "number" ? c : undefined;
  } catch {
    return undefined;
  }
}

export default async function IpamPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageAccess("viewer");
  const canEdit = hasAccess(user.roles, "admin");
  const sp = await searchParams;
  const api = await getServerCaller();
  const status = STATUSES.find((s) => s === sp.status);
  const sort = sp.sort === "hostname" ? "hostname" : "address";
  const prefixId = sp.prefix && /^\d+$/.test(sp.prefix) ? Number(sp.prefix) : undefined;
  const [prefixes, vlans, page, history, paths, selected] = await Promise.all([
    api.ipam.prefixes(),
    api.ipam.vlans(),
    api.ipam.addresses({ search: sp.q?.slice(0, 100), status, prefixId, sort, after: decodeCursor(sp.after), limit: 100 }),
    sp.history ? api.ipam.history({ address: sp.history.slice(0, 64) }).catch(() => []) : null,
    api.inventory.declaredPaths(),
    sp.history ? api.ipam.addresses({ search: sp.history.slice(0, 64), sort: "address", limit: 1 }).catch(() => null) : null,
  ]);
  const selectedRow = selected?.rows.find((r) => r.address === sp.history);
  const editingPrefix = canEdit ? prefixes.find((p) => String(p.id) === sp.editPrefix) : undefined;
  const editingVlan = canEdit ? vlans.find((v) => String(v.vid) === sp.editVlan) : undefined;
  const vids = vlans.map((v) => v.vid);
  const query = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ q: sp.q, status, prefix: sp.prefix, sort, ...extra })) if (v) p.set(k, v);
    return `/it/ipam?${p}`;
  };

  return (
    <>
      <PageHeader title="IPAM" description="Prefixes with their use, every address with its history; NetBox CSV in and out." />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Utilization per prefix</CardTitle>
        </CardHeader>
        <CardContent>
          <PrefixUtilizationChart prefixes={prefixes} />
          {prefixes.length === 0 && <p className="text-muted-foreground text-sm">No prefixes yet.</p>}
        </CardContent>
      </Card>
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Prefixes</CardTitle>
        </CardHeader>
        <CardContent>
          <Table data-testid="prefixes-table">
            <TableHeader>
              <TableRow>
                <TableHead>Prefix</TableHead>
                <TableHead>VLAN</TableHead>
                <TableHead>Gateway</TableHead>
                <TableHead className="w-64">Used</TableHead>
                <TableHead />
              </TableRow>
            </TableHeader>
            <TableBody>
              {prefixes.map((p) => {
                const pct = p.size > 0 ? Math.min(100, (100 * p.used) / p.size) : 0;
                return (
                  <TableRow key={p.id}>
                    <TableCell className="font-mono">
                      <Link className="underline" href={query({ prefix: String(p.id), after: undefined })}>
                        {p.prefix}
                      </Link>
                    </TableCell>
                    <TableCell>{p.vid ? `${p.vid}${p.vlanName ? ` · ${p.vlanName}` : ""}` : "—"}</TableCell>
                    <TableCell className="font-mono text-xs">{p.gateway ?? "—"}</TableCell>
                    <TableCell>
                      <div className="flex items-center gap-2" title={`${p.used} of ${p.size}`}>
                        <div
                          className="bg-muted h-2 w-36 overflow-hidden rounded"
                          role="meter"
                          aria-valuenow={Math.round(pct)}
                          aria-valuemin={0}
                          aria-valuemax={100}
                          aria-label={`${p.prefix} used`}
                        >
                          <div className={`h-2 ${pct > 90 ? "bg-destructive" : "bg-primary"}`} style={{ width: `${pct}%` }} />
                        </div>
                        <span className="text-xs tabular-nums">
                          {p.used}/{p.size}
                        </span>
                      </div>
                    </TableCell>
                    <TableCell>
                      {canEdit && (
                        <span className="inline-flex flex-wrap items-center gap-2">
                          <NextFreeButton prefixId={p.id} prefix={p.prefix} />
                          <Link className="text-xs underline" href={query({ editPrefix: String(p.id) })} aria-label={`Edit ${p.prefix}`}>
                            Edit
                          </Link>
                          <DeletePrefixButton id={p.id} prefix={p.prefix} />
                        </span>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
              {prefixes.length === 0 && <TableEmpty colSpan={5}>No prefixes yet: add one below or import NetBox CSV.</TableEmpty>}
            </TableBody>
          </Table>
          {canEdit && (
            <div className="mt-4 grid gap-4" data-testid="prefix-editing">
              {editingPrefix && <PrefixForm key={editingPrefix.id} row={editingPrefix} vids={vids} />}
              <PrefixForm vids={vids} />
            </div>
          )}
        </CardContent>
      </Card>

      <Card className="mb-6">
        <CardHeader>
          <CardTitle>VLANs</CardTitle>
        </CardHeader>
        <CardContent>
          <Table data-testid="ipam-vlans-table">
            <TableHeader>
              <TableRow>
                <TableHead>VID</TableHead>
                <TableHead>Name</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Environment</TableHead>
                <TableHead />
              </TableRow>
            </TableHeader>
            <TableBody>
              {vlans.map((v) => (
                <TableRow key={v.vid}>
                  <TableCell>{v.vid}</TableCell>
                  <TableCell>{v.name}</TableCell>
                  <TableCell>{v.status}</TableCell>
                  <TableCell>{v.environment ?? ""}</TableCell>
                  <TableCell className="text-right">
                    {canEdit && (
                      <span className="inline-flex flex-wrap items-center gap-2">
                        <Link className="text-xs underline" href={query({ editVlan: String(v.vid) })} aria-label={`Edit VLAN ${v.vid}`}>
                          Edit
                        </Link>
                        <DeleteVlanButton vid={v.vid} />
                      </span>
                    )}
                  </TableCell>
                </TableRow>
              ))}
              {vlans.length === 0 && <TableEmpty colSpan={5}>No VLANs yet.</TableEmpty>}
            </TableBody>
          </Table>
          {canEdit && (
            <div className="mt-4 grid gap-4">
              {editingVlan && <VlanForm key={editingVlan.vid} vlan={editingVlan} />}
              <VlanForm />
            </div>
          )}
        </CardContent>
      </Card>

      {history && (
        <Card className="mb-6" data-testid="address-history">
          <CardHeader>
            <CardTitle>History of {sp.history}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-1 text-sm">
            {canEdit && selectedRow && (
              <div className="mb-3">
                <EditAddressForm row={selectedRow} />
              </div>
            )}
            {history.map((e) => (
              <div key={e.id}>
                <span className="font-mono text-xs">
                  <Time value={e.at} />
                </span>{" "}
                · {e.kind} · {e.actor} <span className="text-muted-foreground font-mono text-xs">{JSON.stringify(e.detail)}</span>
              </div>
            ))}
            {history.length === 0 && <p>No history.</p>}
          </CardContent>
        </Card>
      )}

      <form method="get" className="mb-3 flex flex-wrap items-end gap-3 text-sm">
        <FilterInput name="q" label="Search (address, prefix, hostname, service)" defaultValue={sp.q} width="w-72" />
        <FilterSelect name="status" label="Status" value={status} options={STATUSES} anyLabel="any" />
        <FilterSelect name="sort" label="Sort" value={sort} options={["address", "hostname"]} />
        {sp.prefix && <input type="hidden" name="prefix" value={sp.prefix} />}
        <button type="submit" className="bg-primary text-primary-foreground h-9 rounded-md px-4">
          Filter
        </button>
        {sp.prefix && (
          <Link className="underline" href="/it/ipam">
            all prefixes
          </Link>
        )}
      </form>
      {canEdit && (
        <div className="mb-3 grid gap-3">
          <CreateAddressForm />
          {prefixes.length > 0 && <ReserveAddressForm prefixes={prefixes} />}
        </div>
      )}
      <Table data-testid="addresses-table">
        <TableHeader>
          <TableRow>
            <TableHead>Address</TableHead>
            <TableHead>Hostname</TableHead>
            <TableHead>VMID</TableHead>
            <TableHead>MAC</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Owner · service</TableHead>
            <TableHead>Source</TableHead>
            <TableHead />
          </TableRow>
        </TableHeader>
        <TableBody>
          {page.rows.map((a) => (
            <TableRow key={a.id}>
              <TableCell className="font-mono">{a.address}</TableCell>
              <TableCell>{a.hostname ?? "—"}</TableCell>
              <TableCell>{a.vmid ?? ""}</TableCell>
              <TableCell className="font-mono text-xs">{a.mac ?? ""}</TableCell>
              <TableCell>{a.status === "planned" && a.ownerTeam ? "reserved" : a.status}</TableCell>
              <TableCell className="text-xs">{[a.ownerTeam, a.service].filter(Boolean).join(" · ")}</TableCell>
              <TableCell className="text-xs">{a.sourceRef ?? ""}</TableCell>
              <TableCell className="text-right">
                <Link className="mr-2 text-xs underline" href={query({ history: a.address, after: sp.after })}>
                  History
                </Link>
                {canEdit && a.status !== "released" && <ReleaseButton id={a.id} address={a.address} />}
              </TableCell>
            </TableRow>
          ))}
          {page.rows.length === 0 && <TableEmpty colSpan={8}>No addresses match.</TableEmpty>}
        </TableBody>
      </Table>
      <div className="mt-3 flex gap-4 text-sm">
        {sp.after && (
          <Link className="underline" href={query({ after: undefined })}>
            First page
          </Link>
        )}
        {page.next && (
          <Link className="underline" href={query({ after: Buffer.from(JSON.stringify(page.next)).toString("base64url") })}>
            Next page
          </Link>
        )}
      </div>

      <div className="mt-8 grid gap-6">
        <Card>
          <CardHeader>
            <CardTitle>NetBox CSV</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4">
            <p className="flex gap-4 text-sm">
              Export:{" "}
              <a className="underline" href="/api/ipam/export/vlans" download>
                VLANs
              </a>
              <a className="underline" href="/api/ipam/export/prefixes" download>
                Prefixes
              </a>
              <a className="underline" href="/api/ipam/export/ip-addresses" download>
                IP addresses
              </a>
            </p>
            {canEdit && <CsvImportForm />}
          </CardContent>
        </Card>
        {canEdit && <ImportFromPathsButton paths={paths} />}
        {canEdit && <DeclaredImportForm />}
      </div>
    </>
  );
}
