// The search bench's world, shared by `bench:search` and `bench:search-explain`: 100k IPAM
// addresses, 10k guests, 50 switches × 48 ports and 2M timeline periods (times BENCH_SEARCH_SCALE),
// and the questions asked of it. Set up straight in SQL (a bench's data, not a feature).
import type postgres from "postgres";

// BENCH_SEARCH_SCALE=0.01 tries the bench quickly on a hundredth of the data (bench tooling reads the environment).
export const SCALE = Number(process.env.BENCH_SEARCH_SCALE ?? 1);
export const IPS = Math.round(100_000 * SCALE);
export const GUESTS = Math.round(10_000 * SCALE);
export const SWITCHES = 50;
export const PORTS = 48;
export const PERIODS_PER_IP = 20; // 100k × 20 = 2M timeline rows, besides IPAM's and the guests'
/** Tenantos servers the timeline names (ids 1000…5999), each with the panel's hostname. */
export const SERVERS = 5_000;
export const REQUESTS = 300;

export const ipOf = (i: number) => `10.${Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
export const macOf = (i: number, k: number) => `02:${[k, (i >> 16) & 255, (i >> 8) & 255, i & 255].map((n) => n.toString(16).padStart(2, "0")).join(":")}:01`;

/** Fills a fresh (migrated) database; returns the number of timeline rows. */
export async function seedSearchWorld(sql: postgres.Sql): Promise<number> {
  // Set-up straight in SQL (a bench's data, not a feature). IPAM rows go through the timeline's trigger.
  await sql`insert into switches (name, host, username) select 'sw' || s, '127.0.0.1', 'bench' from generate_series(1, ${SWITCHES}) s`;
  await sql`insert into panel_ports (switch_id, interface, server_id, kind)
    select s.id, 'ge-0/0/' || p || '.0', s.id * 100 + p, 'dedicated' from switches s cross join generate_series(0, ${PORTS - 1}) p`;
  await sql`insert into ipam_addresses (address, hostname, vmid, status, owner_team)
    select ('10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256))::inet, 'host-' || i, case when i % 10 = 0 then 100000 + i end, 'active', 'team-' || (i % 20)
    from generate_series(0, ${IPS - 1}) i`;
  // Twenty periods per address over 400 days: Tenantos assignments and switch bindings, the last two open.
  await sql`insert into address_timeline (kind, address, valid_from, valid_to, holder_key, tenantos_server_id, switch_id, switch_name, interface, mac, vlan, evidence_type, evidence_id)
    select case when k % 2 = 0 then 'tenantos_assignment' else 'switch_binding' end,
      ('10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256))::inet,
      now() - interval '400 days' + make_interval(hours => k * 400 + (i % 100)),
      case when k >= ${PERIODS_PER_IP - 2} then null else now() - interval '400 days' + make_interval(hours => k * 400 + 300 + (i % 100)) end,
      case when k % 2 = 0 then '' else (1 + i % ${SWITCHES}) || '|ge-0/0/' || (i % ${PORTS}) || '.0|' || k end,
      1000 + (i + k) % 5000,
      case when k % 2 = 1 then 1 + i % ${SWITCHES} end,
      case when k % 2 = 1 then 'sw' || (1 + i % ${SWITCHES}) end,
      case when k % 2 = 1 then 'ge-0/0/' || (i % ${PORTS}) || '.0' end,
      case when k % 2 = 1 then '02:' || lpad(to_hex(k), 2, '0') || ':' || lpad(to_hex((i >> 16) & 255), 2, '0') || ':' || lpad(to_hex((i >> 8) & 255), 2, '0') || ':' || lpad(to_hex(i & 255), 2, '0') || ':01' end,
      case when k % 2 = 1 then 'VLAN.13' end,
      case when k % 2 = 0 then 'port_security_event' else 'switch_push' end, (i * ${PERIODS_PER_IP} + k)::text
    from generate_series(0, ${IPS - 1}) i cross join generate_series(0, ${PERIODS_PER_IP - 1}) k`;
  await sql`insert into address_timeline (kind, address, valid_from, holder_key, vmid, hostname, node, evidence_type, evidence_id, last_seen_at)
    select 'guest', ('10.200.' || (g / 256) || '.' || (g % 256))::inet, now() - interval '100 days', (100000 + g)::text, 100000 + g, 'guest-' || g, 'node-' || (g % 10),
      'inventory_snapshot', '1', now() - interval '1 day'
    from generate_series(0, ${GUESTS - 1}) g`;
  await sql`insert into tenantos_servers (id, servername, hostname, primary_ip)
    select 1000 + s, 'srv-' || s, 'dedi-' || s || '.hosting.test', '10.250.' || (s / 256) || '.' || (s % 256) from generate_series(0, ${SERVERS - 1}) s`;
  await sql`insert into address_timeline_collections (source, snapshot_id, collected_at)
    select 'proxmox', w, now() - make_interval(days => 7 * w) from generate_series(1, 60) w`;
  await sql`analyze`;
  return (await sql<{ n: number }[]>`select count(*)::int as n from address_timeline`)[0]!.n;
}

/** The questions: each search form, spread over the data. */
export function listBenchSearches(): string[] {
  return Array.from({ length: REQUESTS }, (_, r) => {
    const i = (r * 7919) % IPS;
    switch (r % 7) {
      case 0:
        return ipOf(i);
      case 1:
        return macOf(i, 19).toUpperCase().replaceAll(":", "-");
      case 2:
        return macOf(i, 19).slice(0, 14);
      case 3:
        return `host-${i}`;
      case 4:
        return `sw${1 + (i % SWITCHES)} ge-0/0/${i % PORTS}`;
      case 5:
        return `dedi-${i % SERVERS}.hosting`;
      default:
        return `guest-${i % GUESTS}`;
    }
  });
}

/** A history at a moment, spread over the addresses and the 400 days. */
export function listBenchHistories(): Array<{ ip: string; at: string }> {
  return Array.from({ length: REQUESTS }, (_, r) => ({
    ip: ipOf((r * 104729) % IPS),
    at: new Date(Date.now() - ((r * 37) % 400) * 86_400_000).toISOString(),
  }));
}
