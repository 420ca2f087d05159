import { sql, type SQL } from "drizzle-orm";
import { parseSearchQuery, type SearchQuery } from "@/lib/search/query";
import type { DbOrTx } from "@/server/db/client";
import { escapeLike } from "@/server/db/like";

export const SEARCH_KINDS = [
  "address",
  "prefix",
  "mac",
  "guest",
  "tenantos_server",
  "switch",
  "switch_port",
  "vlan",
  "hostname",
  "edge_host",
  "organisation",
  "licence",
  "invoice",
] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchResult {
  kind: SearchKind;
  label: string;
  href: string;
  detail: string | null;
  /** 0: exactly what was typed, 1: it starts so, 2: it contains it. */
  rank: number;
}

export interface SearchAnswer {
  query: string;
  /** An exact IP or MAC: the page to go straight to. */
  redirect: string | null;
  results: SearchResult[];
}

/** Who asks decides which kinds are looked up at all (what they may not see is never queried). */
export interface SearchScope {
  /** IT kinds (addresses, servers, switches…); true unless said otherwise. */
  isItVisible?: boolean;
  /** Organisations, licences, invoices. */
  isBillingVisible?: boolean;
}

const PER_KIND = 8;
const BILLING_KINDS = new Set<SearchKind>(["organisation", "licence", "invoice"]);

type Row = { label: string; href: string; detail: string | null; rank: number };

/**
 * The top bar's search: every reading of the text (an address, a MAC, a number, a switch port, a
 * name) is one indexed query, run side by side; results come grouped by kind, best first. Nothing
 * is loaded into the process to be filtered here.
 */
export async function searchEverything(db: DbOrTx, text: string, opts: SearchScope = {}): Promise<SearchAnswer> {
  const q = parseSearchQuery(text);
  if (!q.text) return { query: q.text, redirect: null, results: [] };
  const isItVisible = opts.isItVisible ?? true;
  const asks: Array<[SearchKind, SQL]> = [];
  // Organisations, licences and invoices are commercial: finance's and admins' only (as their pages
  // are); the rest is the IT console's, which finance alone does not see.
  for (const [kind, query] of listSearchQueries(q)) if (BILLING_KINDS.has(kind) ? opts.isBillingVisible : isItVisible) asks.push([kind, query]);
  const answers = await Promise.all(asks.map(async ([kind, query]) => (await db.execute<Row>(query)).map((r) => ({ kind, ...r, rank: Number(r.rank) }))));
  const byKind = new Map<SearchKind, SearchResult[]>();
  for (const r of answers.flat()) {
    const list = byKind.get(r.kind) ?? [];
    if (!list.some((x) => x.href === r.href && x.label === r.label)) list.push(r);
    byKind.set(r.kind, list);
  }
  const groups = [...byKind.values()].map((list) => list.sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label)).slice(0, PER_KIND));
  // Groups in the order of their best match; ties keep the kinds' own order.
  groups.sort((a, b) => a[0]!.rank - b[0]!.rank || SEARCH_KINDS.indexOf(a[0]!.kind) - SEARCH_KINDS.indexOf(b[0]!.kind));
  // Canonical addresses and MACs are [0-9a-f:.] only: safe in a path as they are.
  const redirect = !isItVisible ? null : q.ip ? `/it/addresses/${q.ip}` : q.mac ? `/it/addresses/${q.mac}` : null;
  return { query: q.text, redirect, results: groups.flat() };
}

export function listSearchQueries(q: SearchQuery): Array<[SearchKind, SQL]> {
  const out: Array<[SearchKind, SQL]> = [];
  const limit = PER_KIND;
  if (q.ip) {
    // The address page answers for any address, known or not: it says what the record holds.
    out.push([
      "address",
      sql`select ${q.ip}::text as label, ${`/it/addresses/${q.ip}`}::text as href,
        coalesce((select 'IPAM ' || a.status || coalesce(' · ' || a.hostname, '') from ipam_addresses a where a.address = ${q.ip}::inet),
          (select count(*)::text || ' periods in its history' from address_timeline t where t.address = ${q.ip}::inet)) as detail, 0 as rank`,
    ]);
  }
  if (q.cidr) {
    out.push([
      "prefix",
      sql`select p.prefix::text as label, '/it/ipam?prefix=' || p.id as href, p.description as detail, case when p.prefix = ${q.cidr}::cidr then 0 else 1 end as rank
        from ipam_prefixes p where p.prefix <<= ${q.cidr}::cidr or p.prefix >>= ${q.cidr}::cidr order by masklen(p.prefix) desc limit ${limit}`,
    ]);
    out.push([
      "address",
      sql`select host(a.address) as label, '/it/addresses/' || host(a.address) as href, 'IPAM ' || a.status || coalesce(' · ' || a.hostname, '') as detail, 1 as rank
        from ipam_addresses a where a.address <<= ${q.cidr}::cidr order by a.address limit ${limit}`,
    ]);
  }
  const macLike = q.mac ? q.mac : q.macPrefix ? `${escapeLike(q.macPrefix)}%` : null;
  if (macLike) {
    const op = q.mac ? sql`=` : sql`like`;
    // Where a MAC is (or was) bound: open periods first, then the newest closed ones.
    out.push([
      "mac",
      sql`select distinct on (t.mac, t.kind, t.address, t.switch_name, t.interface) t.mac as label, '/it/addresses/' || t.mac as href,
          case t.kind when 'switch_binding' then t.switch_name || ' ' || t.interface || ' · ' || host(t.address)
            when 'vmac' then 'VMAC of ' || host(t.address) || ' (server ' || t.tenantos_server_id || ')'
            when 'guest' then 'guest ' || t.vmid || coalesce(' ' || t.hostname, '') || ' · ' || host(t.address)
            else host(t.address) end || case when t.valid_to is null then '' else ' (until ' || to_char(t.valid_to at time zone 'UTC', 'YYYY-MM-DD') || ')' end as detail,
          case when t.valid_to is null and t.mac = ${q.mac ?? ""}::text then 0 when t.valid_to is null then 1 else 2 end as rank
        from address_timeline t where t.mac is not null and t.mac ${op} ${macLike}
        order by t.mac, t.kind, t.address, t.switch_name, t.interface, t.valid_to desc nulls first limit ${limit * 4}`,
    ]);
    out.push([
      "mac",
      sql`select lower(a.mac) as label, '/it/addresses/' || host(a.address) as href, 'IPAM ' || host(a.address) || coalesce(' · ' || a.hostname, '') as detail, 1 as rank
        from ipam_addresses a where a.mac is not null and lower(a.mac) ${op} ${macLike} limit ${limit}`,
    ]);
  }
  if (q.number !== undefined) {
    const n = q.number;
    out.push([
      "guest",
      sql`select distinct on (t.vmid) 'VMID ' || t.vmid || coalesce(' ' || t.hostname, '') as label, '/it/addresses/' || host(t.address) as href,
          host(t.address) || coalesce(' on ' || t.node, '') as detail, 0 as rank
        from address_timeline t where t.vmid = ${n} and t.kind = 'guest' order by t.vmid, t.valid_to desc nulls first limit ${limit}`,
    ]);
    out.push([
      "guest",
      sql`select 'VMID ' || a.vmid || coalesce(' ' || a.hostname, '') as label, '/it/addresses/' || host(a.address) as href, 'IPAM ' || host(a.address) as detail, 0 as rank
        from ipam_addresses a where a.vmid = ${n} limit ${limit}`,
    ]);
    out.push([
      "tenantos_server",
      sql`select 'Tenantos server ' || ${n}::int as label, '/it/port-security?server=' || ${n}::int as href,
          coalesce((select string_agg(distinct host(t.address), ', ') from address_timeline t where t.tenantos_server_id = ${n} and t.valid_to is null and t.kind = 'tenantos_assignment'),
            (select string_agg(s.name || ' ' || pp.interface, ', ') from panel_ports pp join switches s on s.id = pp.switch_id where pp.server_id = ${n})) as detail, 0 as rank
        where exists (select 1 from address_timeline t where t.tenantos_server_id = ${n}) or exists (select 1 from panel_ports pp where pp.server_id = ${n})
          or exists (select 1 from tenantos_servers s where s.id = ${n})`,
    ]);
    if (n >= 1 && n <= 4094) {
      out.push([
        "vlan",
        sql`select v.vid || ' ' || v.name as label, '/it/vlans?vid=' || v.vid as href, v.description as detail, 0 as rank from ipam_vlans v where v.vid = ${n}`,
      ]);
    }
  }
  // Invoices and licences by their number as the billing pages show it (`#42`, "licence 12").
  if (q.invoiceNumber !== undefined) {
    out.push([
      "invoice",
      sql`select 'Invoice ' || i.id || ' · ' || o.name as label, '/it/billing?invoice=' || i.id as href,
          i.status || ' · ' || i.period_start || ' – ' || i.period_end || coalesce(' · ' || i.stripe_invoice_id, '') as detail, 0 as rank
        from billing_invoices i join billing_orgs o on o.id = i.org_id where i.id = ${q.invoiceNumber}`,
    ]);
  }
  if (q.licenceNumber !== undefined) {
    out.push([
      "licence",
      sql`select 'Licence ' || l.id || ' · ' || k.name || ' · ' || o.name as label, '/it/licenses?org=' || o.id as href,
          l.status || ' · ' || l.seat_count || ' seats' || coalesce(' · ' || l.external_ref, '') as detail, 0 as rank
        from billing_licences l join billing_orgs o on o.id = l.org_id join billing_skus k on k.id = l.sku_id where l.id = ${q.licenceNumber}`,
    ]);
  }
  if (q.switchPort) {
    const ifLike = `${escapeLike(q.switchPort.interface)}%`;
    out.push([
      "switch_port",
      sql`select s.name || ' ' || p.interface as label, '/it/switches/' || s.id || '?port=' || p.interface as href, p.detail,
          case when lower(s.name) = lower(${q.switchPort.switchName}::text) and p.interface = ${q.switchPort.interface}::text then 0 else 1 end as rank
        from switches s
        join lateral (
          -- One row per interface: what hangs there (the panel's server, manual bindings) and what is bound now.
          select u.interface, string_agg(u.detail, ' · ' order by u.ord) as detail from (
            select pp.interface, 'Tenantos server ' || pp.server_id as detail, 1 as ord from panel_ports pp where pp.switch_id = s.id and pp.interface like ${ifLike}
            union all
            select b.interface, 'manual bindings', 2 from switch_port_bindings b where b.switch_id = s.id and b.interface like ${ifLike} group by b.interface
            union all
            select t.interface, 'bound ' || min(host(t.address)) || case when count(*) > 1 then ' and ' || (count(*) - 1) || ' more' else '' end, 3
              from address_timeline t where t.switch_id = s.id and t.kind = 'switch_binding' and t.valid_to is null and t.interface like ${ifLike}
              group by t.interface
          ) u group by u.interface
        ) p on true
        where lower(s.name) like lower(${`${escapeLike(q.switchPort.switchName)}%`}::text)
        order by rank, label limit ${limit}`,
    ]);
  }
  if (q.interface) {
    out.push([
      "switch_port",
      sql`select s.name || ' ' || pp.interface as label, '/it/switches/' || s.id || '?port=' || pp.interface as href, 'Tenantos server ' || pp.server_id as detail, 1 as rank
        from panel_ports pp join switches s on s.id = pp.switch_id where pp.interface = ${q.interface} order by s.name limit ${limit}`,
    ]);
  }
  // Names: trigram-indexed contains, exact and prefix ranked first. Two characters hold no whole
  // trigram to look up inside a name (the index would be read whole): they match a name's beginning.
  const t = q.text;
  const contains = t.length >= 3 ? `%${escapeLike(t)}%` : `${escapeLike(t)}%`;
  const starts = `${escapeLike(t)}%`;
  const rankOf = (col: SQL) => sql`case when lower(${col}) = lower(${t}::text) then 0 when ${col} ilike ${starts} then 1 else 2 end`;
  const isNameLike = t.length >= 2 && !q.ip && !q.mac && !q.cidr;
  if (isNameLike) {
    out.push([
      "switch",
      sql`select s.name as label, '/it/switches/' || s.id as href, s.host as detail, ${rankOf(sql`s.name`)} as rank from switches s where s.name ilike ${contains} order by rank, s.name limit ${limit}`,
    ]);
    out.push([
      "vlan",
      sql`select v.vid || ' ' || v.name as label, '/it/vlans?vid=' || v.vid as href, v.description as detail, ${rankOf(sql`v.name`)} as rank from ipam_vlans v where v.name ilike ${contains} order by rank, v.vid limit ${limit}`,
    ]);
    out.push([
      "hostname",
      sql`select a.hostname as label, '/it/addresses/' || host(a.address) as href, host(a.address) || ' · IPAM ' || a.status as detail, ${rankOf(sql`a.hostname`)} as rank
        from ipam_addresses a where a.hostname ilike ${contains} order by rank, a.hostname limit ${limit}`,
    ]);
    out.push([
      "guest",
      sql`select 'VMID ' || t.vmid || ' ' || t.hostname as label, '/it/addresses/' || host(t.address) as href, host(t.address) || coalesce(' on ' || t.node, '') as detail,
          ${rankOf(sql`t.hostname`)} as rank
        from address_timeline t where t.kind = 'guest' and t.valid_to is null and t.hostname is not null and t.hostname ilike ${contains} order by rank, t.hostname limit ${limit}`,
    ]);
    // Tenantos servers by the names the panel gives them: to the address page of their primary IP.
    out.push([
      "tenantos_server",
      sql`select coalesce(nullif(s.hostname, ''), s.servername) as label,
          case when s.primary_ip is not null then '/it/addresses/' || s.primary_ip else '/it/port-security?server=' || s.id end as href,
          'Tenantos server ' || s.id || case when s.hostname <> '' and s.servername <> s.hostname then ' · ' || s.servername else '' end
            || coalesce(' · ' || s.primary_ip, '') as detail,
          least(${rankOf(sql`s.hostname`)}, ${rankOf(sql`s.servername`)}) as rank
        from tenantos_servers s where lower(s.hostname || ' ' || s.servername) like ${contains.toLowerCase()} order by rank, label limit ${limit}`,
    ]);
    out.push([
      "hostname",
      sql`select m.far_host as label, '/it/ports?q=' || m.far_host as href, m.switch_name || ' ' || m.port as detail, ${rankOf(sql`m.far_host`)} as rank
        from port_map_entries m where m.far_host is not null and m.far_host ilike ${contains} order by rank, m.far_host limit ${limit}`,
    ]);
    // NPM's proxy hosts live in the newest good edge collection (a few hundred at most).
    out.push([
      "edge_host",
      sql`with latest as (select data from edge_snapshots where source = 'npm' and status = 'ok' order by started_at desc limit 1)
        select d.domain as label, case when (h.value->>'forwardHost') ~ '^[0-9a-fA-F:.]+$' then '/it/addresses/' || (h.value->>'forwardHost') else '/it/ports' end as href,
          'NPM → ' || (h.value->>'forwardHost') || ':' || (h.value->>'forwardPort') as detail, ${rankOf(sql`d.domain`)} as rank
        from latest, jsonb_array_elements(latest.data->'proxyHosts') h, jsonb_array_elements_text(h.value->'domainNames') d(domain)
        where d.domain ilike ${contains} order by rank, d.domain limit ${limit}`,
    ]);
    out.push([
      "organisation",
      sql`select o.name as label, '/it/licenses?org=' || o.id as href, o.code as detail,
          least(${rankOf(sql`o.name`)}, ${rankOf(sql`o.code`)}) as rank
        from billing_orgs o where (o.code || ' ' || o.name) ilike ${contains} order by rank, o.name limit ${limit}`,
    ]);
    out.push([
      "licence",
      sql`select 'Licence ' || l.id || ' · ' || k.name || ' · ' || o.name as label, '/it/licenses?org=' || o.id as href, coalesce(l.external_ref, l.project, l.status) as detail,
          case when l.external_ref = ${t} or l.stripe_subscription_id = ${t} then 0 else 1 end as rank
        from billing_licences l join billing_orgs o on o.id = l.org_id join billing_skus k on k.id = l.sku_id
        where l.external_ref = ${t} or l.stripe_subscription_id = ${t} or l.project ilike ${starts} order by rank limit ${limit}`,
    ]);
    out.push([
      "invoice",
      sql`select 'Invoice ' || i.id || ' · ' || o.name as label, '/it/billing?invoice=' || i.id as href, i.stripe_invoice_id as detail, 0 as rank
        from billing_invoices i join billing_orgs o on o.id = i.org_id where i.stripe_invoice_id = ${t} limit ${limit}`,
    ]);
  }
  return out;
}
