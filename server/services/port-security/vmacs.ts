import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, ilike, isNull, or, sql } from "drizzle-orm";
import { panelPorts, vmacEvents, vmacs, type VmacRow } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { parseIpAddress } from "@/lib/net/ip";
import { deriveVmacFromIpv4, isUsableVmac } from "@/lib/port-security/vmac";
import type { DbOrTx, Tx } from "@/server/db/client";
import { escapeLike } from "@/server/db/like";
import { writeAudit, type Actor } from "../platform/audit";
import { getSettings } from "../platform/settings";
import { requestPortsPush } from "../switches/switches";

/** The server's panel ports follow: a new or released VMAC changes what they should hold. */
async function refreshServerPorts(tx: Tx, serverId: number, trigger: string): Promise<void> {
  const ports = await tx.select().from(panelPorts).where(eq(panelPorts.serverId, serverId));
  await requestPortsPush(tx, ports, trigger);
}

function drawMac(prefix: string, ip: string, family: "ipv4" | "ipv6"): string {
  if (family === "ipv4") return deriveVmacFromIpv4(prefix, ip);
  return `${prefix}:${[...randomBytes(4)].map((b) => b.toString(16).padStart(2, "0")).join(":")}`;
}

/**
 * One VMAC per IP, created on demand and idempotent: asking again returns the active one. IPv4
 * derives it from the address; IPv6 draws from the prefix, the unique index settling collisions.
 */
export async function createVmac(db: DbOrTx, actor: Actor, input: { ip: string; serverId: number }): Promise<{ vmac: VmacRow; isNew: boolean }> {
  const { ip, family } = parseIpAddress(input.ip);
  const { vmacPrefix, vmacQuarantineDays } = await getSettings(db);
  const quarantineStart = new Date(Date.now() - vmacQuarantineDays * 86_400_000);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const [existing] = await tx.select().from(vmacs).where(eq(vmacs.ip, ip)).for("update");
        if (existing && !existing.releasedAt) {
          if (existing.serverId !== input.serverId) throw new AppError("CONFLICT", `${ip} has an active VMAC for server ${existing.serverId}`, { field: "ip" });
          return { vmac: existing, isNew: false };
        }
        // A MAC another customer used until recently stays out of use for the quarantine: ARP
        // caches and upstream filters may still tie it to them.
        if (existing?.releasedAt && existing.serverId !== input.serverId && existing.releasedAt > quarantineStart) {
          const until = new Date(existing.releasedAt.getTime() + vmacQuarantineDays * 86_400_000).toISOString().slice(0, 10);
          throw new AppError("CONFLICT", `${ip}'s VMAC was released from server ${existing.serverId} and is quarantined until ${until}`, { field: "ip" });
        }
        let mac = drawMac(vmacPrefix, ip, family);
        for (let redraw = 0; family === "ipv6" && redraw < 5 && (await isMacQuarantined(tx, mac, quarantineStart)); redraw++)
          mac = drawMac(vmacPrefix, ip, family);
        if (!isUsableVmac(mac)) throw new AppError("INTERNAL", `refusing unusable VMAC ${mac}`);
        const values = { ip, mac, serverId: input.serverId, createdAt: new Date(), releasedAt: null };
        const [row] = await tx.insert(vmacs).values(values).onConflictDoUpdate({ target: vmacs.ip, set: values }).returning();
        await tx.insert(vmacEvents).values({ kind: "created", ip, mac, serverId: input.serverId, actor: actor.id });
        await writeAudit(tx, actor, { action: "vmac.create", entityType: "vmac", entityId: ip, before: existing ?? null, after: row });
        await refreshServerPorts(tx, input.serverId, `vmac:${ip}`);
        return { vmac: row!, isNew: true };
      });
    } catch (e) {
      // Only a drawn IPv6 VMAC can collide; derived IPv4 ones are unique by construction.
      if ((e as { code?: string }).code === "23505" && family === "ipv6") continue;
      throw e;
    }
  }
  throw new AppError("UNAVAILABLE", `could not draw a free VMAC for ${ip} under ${vmacPrefix}`);
}

async function isMacQuarantined(tx: Tx, mac: string, since: Date): Promise<boolean> {
  const [hit] = await tx
    .select({ id: vmacEvents.id })
    .from(vmacEvents)
    .where(and(eq(vmacEvents.mac, mac), eq(vmacEvents.kind, "released"), gt(vmacEvents.at, since)))
    .limit(1);
  return Boolean(hit);
}

/** Releases the VMACs of some IPs (ip_removed) or of a whole server (server_deleted). */
/** Releases active VMACs by IP (only the given server's, when named) or all of a server's. */
export async function releaseVmacs(tx: Tx, actor: Actor, where: { ip: string; serverId?: number } | { serverId: number }): Promise<VmacRow[]> {
  const released = await tx
    .update(vmacs)
    .set({ releasedAt: new Date() })
    .where(
      and(
        isNull(vmacs.releasedAt),
        "ip" in where ? eq(vmacs.ip, where.ip) : undefined,
        where.serverId !== undefined ? eq(vmacs.serverId, where.serverId) : undefined,
      ),
    )
    .returning();
  for (const v of released) {
    await tx.insert(vmacEvents).values({ kind: "released", ip: v.ip, mac: v.mac, serverId: v.serverId, actor: actor.id });
    await writeAudit(tx, actor, { action: "vmac.release", entityType: "vmac", entityId: v.ip, after: v });
  }
  return released;
}

export async function releaseVmac(db: DbOrTx, actor: Actor, ip: string): Promise<VmacRow> {
  const canonical = parseIpAddress(ip).ip;
  return db.transaction(async (tx) => {
    const [v] = await releaseVmacs(tx, actor, { ip: canonical });
    if (!v) throw new AppError("NOT_FOUND", `${canonical} has no active VMAC`);
    await refreshServerPorts(tx, v.serverId, `vmac-release:${canonical}`);
    return v;
  });
}

export function listVmacs(db: DbOrTx, f: { search?: string; isActiveOnly?: boolean; limit: number }) {
  const s = f.search?.trim();
  const match = s
    ? or(
        ilike(vmacs.ip, `${escapeLike(s)}%`),
        ilike(vmacs.mac, `%${escapeLike(s.toLowerCase())}%`),
        /^\d+$/.test(s) ? eq(vmacs.serverId, Number(s)) : sql`false`,
      )
    : undefined;
  return db
    .select()
    .from(vmacs)
    .where(and(match, f.isActiveOnly ? isNull(vmacs.releasedAt) : undefined))
    .orderBy(desc(vmacs.createdAt))
    .limit(f.limit);
}

export function listVmacEvents(db: DbOrTx, limit: number) {
  return db.select().from(vmacEvents).orderBy(desc(vmacEvents.id)).limit(limit);
}
