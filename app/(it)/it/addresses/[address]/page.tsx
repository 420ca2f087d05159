import { Time } from "@/components/ui/time";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { FilterInput } from "@/components/ui/filter-fields";
import { Table, TableBody, TableCell, TableEmpty, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { isAppError } from "@/lib/errors";
import type { TimelineEntry } from "@/lib/timeline/history";
import { requirePageAccess } from "@/server/auth/guard";
import { parseIsoTime } from "@/server/doors/addresses-api";
import { findEvidenceHref, parseAddressSubject, type AddressHistory, type AddressOverview } from "@/server/services/addresses/history";
import { getServerCaller } from "@/server/trpc/server";

export const metadata = { title: "Address" };

const KIND_LABELS: Record<TimelineEntry["kind"], string> = {
  tenantos_assignment: "Tenantos",
  switch_binding: "Switch port",
  vmac: "VMAC",
  guest: "Proxmox guest",
  ipam: "IPAM",
};

type Search = { at?: string; from?: string; to?: string };

/** The page's time fields are UTC: a value typed without a zone is read as UTC (the label says so). */
function readUtc(value: string | undefined, field: string): Date | undefined {
  if (!value?.trim()) return undefined;
  const v = value.trim();
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v.length === 16 ? `${v}:00` : v}Z`;
  return parseIsoTime(withZone, field);
}

function describe(e: TimelineEntry) {
  switch (e.kind) {
    case "tenantos_assignment":
      return (
        <>
          server <Link href={`/it/port-security?server=${e.tenantos_server_id}`}>{e.tenantos_server_id}</Link>
        </>
      );
    case "switch_binding":
      return (
        <>
          {e.switch_id ? (
            <Link href={`/it/switches/${e.switch_id}?port=${encodeURIComponent(e.interface ?? "")}`}>{`${e.switch} ${e.interface}`}</Link>
          ) : (
            `${e.switch} ${e.interface}`
          )}
          {" · "}
          <Link href={`/it/addresses/${e.mac}`} className="font-mono">
            {e.mac}
          </Link>{" "}
          {e.vlan}
          {e.tenantos_server_id ? ` · server ${e.tenantos_server_id}` : ""}
        </>
      );
    case "vmac":
      return (
        <>
          <span className="font-mono">{e.mac}</span> for server {e.tenantos_server_id}
        </>
      );
    case "guest":
      return (
        <>
          VMID {e.vmid} {e.hostname} on {e.node}
          {e.mac ? ` · ${e.mac}` : ""}
          {e.last_seen_at ? (
            <>
              {" "}
              · last seen <Time value={e.last_seen_at} precision="minute" />
            </>
          ) : (
            ""
          )}
        </>
      );
    case "ipam":
      return (
        <>
          {e.status}
          {e.owner ? ` · owner ${e.owner}` : ""}
          {e.hostname ? ` · ${e.hostname}` : ""}
          {e.vmid ? ` · VMID ${e.vmid}` : ""}
        </>
      );
  }
}

function Periods({ entries, isMac, testId }: { entries: TimelineEntry[]; isMac: boolean; testId: string }) {
  return (
    <Table data-testid={testId}>
      <TableHeader>
        <TableRow>
          <TableHead>Kind</TableHead>
          {isMac && <TableHead>Address</TableHead>}
          <TableHead>From (UTC)</TableHead>
          <TableHead>To (UTC)</TableHead>
          <TableHead>Holder</TableHead>
          <TableHead>Evidence</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {entries.length === 0 && <TableEmpty colSpan={isMac ? 6 : 5}>Nobody, in what the record holds.</TableEmpty>}
        {entries.map((e, i) => {
          const href = findEvidenceHref(e.evidence, { switchId: e.switch_id, serverId: e.tenantos_server_id });
          const endHref = e.end_evidence ? findEvidenceHref(e.end_evidence, { switchId: e.switch_id, serverId: e.tenantos_server_id }) : null;
          const address = (e as TimelineEntry & { address?: string }).address;
          return (
            <TableRow key={i} data-kind={e.kind}>
              <TableCell>
                <Badge variant={e.to === null ? "default" : "secondary"}>{KIND_LABELS[e.kind]}</Badge>
              </TableCell>
              {isMac && <TableCell className="font-mono">{address && <Link href={`/it/addresses/${address}`}>{address}</Link>}</TableCell>}
              <TableCell className="font-mono text-xs">
                <Time value={e.from} />
              </TableCell>
              <TableCell className="font-mono text-xs">
                <Time value={e.to} fallback="open (now)" />
              </TableCell>
              <TableCell className="text-sm">{describe(e)}</TableCell>
              <TableCell className="text-xs">
                {href ? <Link href={href}>{`${e.evidence.type} ${e.evidence.id}`}</Link> : `${e.evidence.type} ${e.evidence.id}`}
                {e.end_evidence && (
                  <>
                    {" → "}
                    {endHref ? <Link href={endHref}>{`${e.end_evidence.type} ${e.end_evidence.id}`}</Link> : `${e.end_evidence.type} ${e.end_evidence.id}`}
                  </>
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

function Gaps({ history }: { history: AddressHistory }) {
  if (history.coverage.is_complete) return null;
  return (
    <Alert variant="destructive" className="mb-3" data-testid="history-gaps">
      <AlertDescription>
        The record cannot answer for all of this time:
        <ul className="list-disc pl-5">
          {history.coverage.gaps.map((g, i) => (
            <li key={i}>
              <Time value={g.from} /> – <Time value={g.to} />: {g.reason}
            </li>
          ))}
        </ul>
      </AlertDescription>
    </Alert>
  );
}

function Now({ overview }: { overview: AddressOverview | null }) {
  if (!overview) return null;
  return (
    <Card className="mb-6" data-testid="address-now">
      <CardHeader className="pb-2">
        <CardTitle className="text-sm">IPAM and edge</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-1 text-sm">
        <div>
          IPAM:{" "}
          {overview.ipam
            ? `${overview.ipam.status}${overview.ipam.owner_team ? ` · owner ${overview.ipam.owner_team}` : ""}${overview.ipam.hostname ? ` · ${overview.ipam.hostname}` : ""}${overview.ipam.prefix ? ` · in ${overview.ipam.prefix}` : ""}`
            : "not recorded"}
        </div>
        <div>Edge hostnames (NPM): {overview.edge_hostnames.length ? overview.edge_hostnames.map((h) => h.domain).join(", ") : "none"}</div>
      </CardContent>
    </Card>
  );
}

/** What an address (or a MAC) is now, and who held it when: the abuse desk's page. */
export default async function AddressPage({ params, searchParams }: { params: Promise<{ address: string }>; searchParams: Promise<Search> }) {
  await requirePageAccess("viewer");
  const raw = decodeURIComponent((await params).address);
  const sp = await searchParams;
  const api = await getServerCaller();
  let error: string | null = null;
  let subjectKind: "ip" | "mac" = "ip";
  let history: AddressHistory | null = null;
  let atAnswer: AddressHistory | null = null;
  let overview: AddressOverview | null = null;
  let at: Date | undefined;
  let from: Date | undefined;
  let to: Date | undefined;
  try {
    const subject = parseAddressSubject(raw);
    subjectKind = subject.kind;
    at = readUtc(sp.at, "at");
    from = readUtc(sp.from, "from");
    to = readUtc(sp.to, "to");
    [history, atAnswer, overview] = await Promise.all([
      api.addresses.history({ address: raw, from, to }),
      at ? api.addresses.history({ address: raw, at }) : null,
      subject.kind === "ip" ? api.addresses.overview({ ip: subject.ip }) : null,
    ]);
  } catch (e) {
    error = isAppError(e) || e instanceof Error ? e.message : String(e);
  }
  const subjectText = history?.address ?? raw;
  const current = history?.timeline.filter((e) => e.to === null) ?? [];
  const exportQuery = (format: string) => {
    const q = new URLSearchParams({ format });
    if (from) q.set("from", from.toISOString());
    if (to) q.set("to", to.toISOString());
    return `/api/addresses/${encodeURIComponent(subjectText)}/export?${q}`;
  };
  return (
    <>
      <PageHeader
        title={subjectText}
        description={
          subjectKind === "mac"
            ? "Where this MAC is and was bound: switch ports, VMACs, guests."
            : "What this address is now, and who held it when: Tenantos, switch ports, VMACs, Proxmox guests, IPAM."
        }
      />
      {error && (
        <Alert variant="destructive" className="mb-4">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      {history && (
        <>
          <h2 className="mb-2 text-lg font-semibold">Now</h2>
          <Now overview={overview} />
          <div className="mb-8">
            <Periods entries={current} isMac={subjectKind === "mac"} testId="address-current" />
          </div>

          <h2 className="mb-2 text-lg font-semibold">Who held it at a moment</h2>
          <form method="get" className="mb-3 flex items-end gap-3 text-sm">
            <FilterInput name="at" label="At (UTC)" defaultValue={sp.at} width="w-64" />
            <button type="submit" className="bg-primary text-primary-foreground h-9 rounded-md px-4">
              Ask
            </button>
          </form>
          {atAnswer && (
            <div className="mb-8" data-testid="address-at">
              <p className="mb-2 text-sm">
                At <Time value={atAnswer.at} />:{" "}
                {atAnswer.holders.length === 0
                  ? atAnswer.coverage.is_complete
                    ? "nobody held it."
                    : "unknown — see below."
                  : `${atAnswer.holders.length} holder(s).`}
              </p>
              <Gaps history={atAnswer} />
              <Periods entries={atAnswer.holders} isMac={subjectKind === "mac"} testId="address-holders" />
            </div>
          )}

          <h2 className="mb-2 text-lg font-semibold">Timeline</h2>
          <form method="get" className="mb-3 flex flex-wrap items-end gap-3 text-sm">
            <FilterInput name="from" label="From (UTC)" defaultValue={sp.from} width="w-56" />
            <FilterInput name="to" label="To (UTC)" defaultValue={sp.to} width="w-56" />
            <button type="submit" className="bg-primary text-primary-foreground h-9 rounded-md px-4">
              Show
            </button>
            <a href={exportQuery("csv")} className="h-9 rounded-md border px-4 leading-9" data-testid="export-csv" download>
              Abuse reply (CSV)
            </a>
            <a href={exportQuery("json")} className="h-9 rounded-md border px-4 leading-9" download>
              JSON
            </a>
          </form>
          <Gaps history={history} />
          {history.is_truncated && <p className="text-muted-foreground mb-2 text-sm">Only the newest 2,000 periods are shown: narrow the window.</p>}
          <Periods entries={history.timeline} isMac={subjectKind === "mac"} testId="address-timeline" />
        </>
      )}
    </>
  );
}
