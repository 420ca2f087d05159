import Link from "next/link";
import { DeclaredImportForm } from "@/components/inventory/declared-import-form";
import { ImportFromPathsButton } from "@/components/inventory/import-from-paths-button";
import { CreateAddressForm, CsvImportForm, EditAddressForm, NextFreeButton, ReleaseButton } from "@/components/ipam/ipam-actions";
import { PrefixUtilizationChart } from "@/components/ipam/prefix-utilization-chart";
import { isReservedAddress } from "@/lib/ipam/utilization";
import { DeletePrefixButton, DeleteVlanButton, PrefixForm, ReserveAddressForm, VlanForm } from "@/components/ipam/ipam-editing";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { DataTable, type DataTableColumn, type DataTableFilter } from "@/components/ui/data-table";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { hasAccess } from "@/lib/auth/roles";
import { ADDRESS_STATUSES, addressTableSpec } from "@/lib/ipam/address-table";
import { parseTableState } from "@/lib/table/url-state";
import { requirePageAccess } from "@/server/auth/guard";
import { getServerCaller } from "@/server/trpc/server";
import { Time } from "@/components/ui/time";

export const metadata = { title: "IPAM" };

type Search = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v) || undefined;
// Params that belong to the address list: a link carrying one opens the Addresses tab (links made
// before the tabs, e.g. `/it/ipam?q=…`, keep opening the list).
const LIST_PARAMS = ["q", "sort", "dir", "page", "size", "history", ...Object.keys(addressTableSpec.filters)];

export default async function IpamPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requirePageAccess("viewer");
  const canEdit = hasAccess(user.roles, "admin");
  const sp = await searchParams;
  const tab = one(sp.tab) === "addresses" || (one(sp.tab) === undefined && LIST_PARAMS.some((k) => one(sp[k]))) ? "addresses" : "prefixes";
  const history = one(sp.history)?.slice(0, 64);
  const { state, errors } = parseTableState(addressTableSpec, sp);
  const api = await getServerCaller();
  const isList = tab === "addresses";
  const [prefixes, vlans, page, owners, historyRows, paths, selected] = await Promise.all([
    api.ipam.prefixes(),
    api.ipam.vlans(),
    isList ? api.ipam.addressTable(state) : null,
    isList ? api.ipam.addressOwners() : [],
    isList && history ? api.ipam.history({ address: history }).catch(() => []) : null,
    isList ? null : api.inventory.declaredPaths(),
    isList && history ? api.ipam.addresses({ search: history, sort: "address", limit: 1 }).catch(() => null) : null,
  ]);
  const selectedRow = selected?.rows.find((r) => r.address === history);
  const editingPrefix = canEdit ? prefixes.find((p) => String(p.id) === one(sp.editPrefix)) : undefined;
  const editingVlan = canEdit ? vlans.find((v) => String(v.vid) === one(sp.editVlan)) : undefined;
  const vids = vlans.map((v) => v.vid);
  /** This page's link with `patch` applied to the params it was opened with. */
  const query = (patch: Record<string, string | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(sp)) if (one(v)) p.set(k, one(v)!);
    for (const [k, v] of Object.entries(patch))
      if (v) p.set(k, v);
      else p.delete(k);
    return `/it/ipam?${p}`;
  };
  const columns: DataTableColumn[] = [
    { id: "address", header: "Address", isSortable: true },
    { id: "hostname", header: "Hostname", isSortable: true },
    { id: "vmid", header: "VMID", isSortable: true },
    { id: "mac", header: "MAC", isSortable: true },
    { id: "status", header: "Status", isSortable: true },
    { id: "owner", header: "Owner · service", isSortable: true },
    { id: "source", header: "Source", isSortable: true },
    { id: "actions", header: "", className: "text-right" },
  ];
  const filters: DataTableFilter[] = [
    { kind: "select", param: "status", label: "Status", options: ADDRESS_STATUSES },
    { kind: "select", param: "prefix", label: "Prefix", options: prefixes.map((p) => ({ value: String(p.id), label: p.prefix })) },
    { kind: "select", param: "vlan", label: "VLAN", options: vlans.map((v) => ({ value: String(v.vid), label: `${v.vid} · ${v.name}` })) },
    { kind: "select", param: "owner", label: "Owner", options: owners },
  ];

  return (
    <>
      <PageHeader title="IPAM" description="Prefixes with their use, every address with its history; NetBox CSV in and out." />
      <nav aria-label="IPAM sections" className="mb-4 flex gap-1 border-b text-sm">
        {(
          [
            ["prefixes", "Prefixes & VLANs", "/it/ipam?tab=prefixes"],
            ["addresses", "Addresses", "/it/ipam?tab=addresses"],
          ] as const
        ).map(([id, text, href]) => (
          <Link
            key={id}
            href={href}
            aria-current={tab === id ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 ${tab === id ? "border-primary font-medium" : "text-muted-foreground border-transparent"}`}
          >
            {text}
          </Link>
        ))}
      </nav>
      {tab === "prefixes" && (
        <>
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
                          <Link className="underline" href={`/it/ipam?tab=addresses&prefix=${p.id}`}>
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

          <div className="mt-8 grid gap-6">
            <Card>
              <CardHeader>
                <CardTitle>NetBox CSV</CardTitle>
              </CardHeader>
              <CardContent className="grid gap-4">
                <p className="flex flex-wrap gap-4 text-sm">
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
            {canEdit && paths && <ImportFromPathsButton paths={paths} />}
            {canEdit && <DeclaredImportForm />}
          </div>
        </>
      )}

      {tab === "addresses" && page && (
        <>
          {historyRows && (
            <Card className="mb-6" data-testid="address-history">
              <CardHeader>
                <CardTitle>History of {history}</CardTitle>
              </CardHeader>
              <CardContent className="grid gap-1 text-sm">
                {canEdit && selectedRow && (
                  <div className="mb-3">
                    <EditAddressForm row={selectedRow} />
                  </div>
                )}
                {historyRows.map((e) => (
                  <div key={e.id}>
                    <Time value={e.at} /> · {e.kind} · {e.actor} <span className="text-muted-foreground font-mono text-xs">{JSON.stringify(e.detail)}</span>
                  </div>
                ))}
                {historyRows.length === 0 && <p>No history.</p>}
              </CardContent>
            </Card>
          )}
          {canEdit && (
            <div className="mb-3 grid gap-3">
              <CreateAddressForm />
              {prefixes.length > 0 && <ReserveAddressForm prefixes={prefixes} />}
            </div>
          )}
          {errors.length > 0 && (
            <p className="text-destructive mb-3 text-sm" role="alert">
              Bad filter (left out): {errors.join("; ")}
            </p>
          )}
          <DataTable
            label="IP addresses"
            testId="addresses-table"
            columns={columns}
            filters={filters}
            search={{ label: "Search (address, prefix, hostname, service)", placeholder: "10.0.0.0/24, web-1, …" }}
            state={state}
            total={page.total}
            isTotalCapped={page.isTotalCapped}
            exportHref="/api/ipam/export/ip-addresses"
            emptyText="No addresses match."
            rows={page.rows.map((a) => ({
              id: a.id,
              cells: {
                address: <span className="font-mono">{a.address}</span>,
                hostname: a.hostname ?? "—",
                vmid: a.vmid ?? "",
                mac: <span className="font-mono text-xs">{a.mac ?? ""}</span>,
                status: isReservedAddress(a) ? "reserved" : a.status,
                owner: <span className="text-xs">{[a.ownerTeam, a.service].filter(Boolean).join(" · ")}</span>,
                source: <span className="text-xs">{a.sourceRef ?? ""}</span>,
                actions: (
                  <span className="inline-flex items-center gap-2 whitespace-nowrap">
                    <Link className="text-xs underline" href={query({ tab: "addresses", history: a.address })}>
                      History
                    </Link>
                    {canEdit && a.status !== "released" && (
                      <ReleaseButton id={a.id} address={a.address} hostname={a.hostname} status={a.status} owner={a.ownerTeam} />
                    )}
                  </span>
                ),
              },
            }))}
          />
        </>
      )}
    </>
  );
}
