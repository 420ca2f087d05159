import { sql } from "drizzle-orm";
import { tenantosServers } from "@/drizzle/schema";
import { parseIpAddress } from "@/lib/net/ip";
import type { TenantosServer } from "@/server/connectors/tenantos/client";
import type { DbOrTx } from "@/server/db/client";

const CHUNK = 5_000;

/**
 * Keeps the names of Tenantos servers as last read (`servername`, `hostname`, `primaryip`), so
 * search finds a server by them. Called with what was already read: never a call to Tenantos here.
 */
export async function rememberTenantosServers(db: DbOrTx, servers: readonly TenantosServer[]): Promise<void> {
  const unique = [...new Map(servers.map((s) => [s.id, s])).values()];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = unique
      .slice(i, i + CHUNK)
      .map((s) => ({ id: s.id, servername: s.name, hostname: s.hostname, primaryIp: readAddress(s.primaryIp), seenAt: new Date() }));
    await db
      .insert(tenantosServers)
      .values(rows)
      .onConflictDoUpdate({
        target: tenantosServers.id,
        set: { servername: sql`excluded.servername`, hostname: sql`excluded.hostname`, primaryIp: sql`excluded.primary_ip`, seenAt: sql`excluded.seen_at` },
      });
  }
}

/** `primaryip` canonical, or null when it is none (search links to its address page by it). */
function readAddress(text: string | null): string | null {
  if (!text) return null;
  try {
    return parseIpAddress(text.trim()).ip;
  } catch {
    return null;
  }
}
