import { eq, sql } from "drizzle-orm";
import { ipamAddresses, ipamVlanMoves, ipamVlans, type IpamVlanMoveRow } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { parseVid } from "@/lib/ipam/values";
import { parseIpAddress } from "@/lib/net/ip";
import { planMoves, type StoredMoveStatus } from "@/lib/vlans/moves";
import type { DbOrTx, Tx } from "@/server/db/client";
import { findPrefixFor, recordAddressEvent } from "./addresses";
import { findMovesWithFacts } from "./vlan-plan";
import { writeAudit, type Actor } from "../platform/audit";

export interface VlanMoveInput {
  hostname: string;
  vmid?: number | null;
  targetAddress: string;
  targetVid: number;
  fromRole?: string | null;
  toRole?: string | null;
  wave?: number | null;
  note?: string | null;
}

const text = (v: string | null | undefined) => v?.trim() || null;

function parseWave(wave: number | null | undefined): number | null {
  if (wave === null || wave === undefined) return null;
  if (!Number.isInteger(wave) || wave < 1 || wave > 4) throw new AppError("BAD_REQUEST", `wave ${wave} is not 1 to 4`, { field: "wave" });
  return wave;
}

/**
 * Plans a host's move to a target address on a target VLAN. The address must lie in a prefix on
 * that VLAN, and is reserved in IPAM for the host in the same transaction (IPAM stays the one list
 * of every assignment), unless the host already holds it there (a role change keeps its address).
 */
export async function createVlanMove(db: DbOrTx, actor: Actor, input: VlanMoveInput): Promise<IpamVlanMoveRow> {
  const hostname = text(input.hostname);
  if (!hostname) throw new AppError("BAD_REQUEST", "a move names the host that moves", { field: "hostname" });
  const { ip } = parseIpAddress(input.targetAddress.trim());
  const vid = parseVid(input.targetVid);
  const wave = parseWave(input.wave);
  return db.transaction(async (tx) => {
    const [vlan] = await tx.select().from(ipamVlans).where(eq(ipamVlans.vid, vid));
    if (!vlan) throw new AppError("BAD_REQUEST", `VLAN ${vid} is not in IPAM: add it first`, { field: "targetVid" });
    const prefixId = await findPrefixFor(tx, ip).catch(() => {
      throw new AppError("BAD_REQUEST", `${ip} is outside every prefix in IPAM: add a prefix on VLAN ${vid} first`, { field: "targetAddress" });
    });
    const [onVlan] = await tx.execute<{ prefix: string; vid: number | null }>(
      sql`select p.prefix::text, v.vid from ipam_prefixes p left join ipam_vlans v on v.id = p.vlan_id where p.id = ${prefixId}`,
    );
    if (onVlan!.vid !== vid)
      throw new AppError("BAD_REQUEST", `${ip} is in ${onVlan!.prefix}, which is on ${onVlan!.vid ? `VLAN ${onVlan!.vid}` : "no VLAN"}, not ${vid}`, {
        field: "targetAddress",
      });
    const [sameHost] = await tx.select({ id: ipamVlanMoves.id }).from(ipamVlanMoves).where(eq(ipamVlanMoves.hostname, hostname));
    if (sameHost) throw new AppError("CONFLICT", `${hostname} already has a planned move: edit or delete it`, { field: "hostname" });
    const [sameTarget] = await tx
      .select()
      .from(ipamVlanMoves)
      .where(sql`${ipamVlanMoves.targetAddress} = ${ip}::inet`);
    if (sameTarget) throw new AppError("CONFLICT", `${ip} is already the target of ${sameTarget.hostname}'s move`, { field: "targetAddress" });
    const [held] = await tx
      .select()
      .from(ipamAddresses)
      .where(sql`${ipamAddresses.address} = ${ip}::inet`)
      .for("update");
    if (held && held.hostname !== hostname)
      throw new AppError("CONFLICT", `${ip} is ${held.status} in IPAM for ${held.hostname ?? "no host"} (${held.sourceRef ?? "console"})`, {
        field: "targetAddress",
      });
    if (!held) {
      const fields = { hostname, vmid: input.vmid ?? null, vlanVid: vid, service: `VLAN move of ${hostname}`, status: "planned" as const };
      await tx.insert(ipamAddresses).values({ ...fields, address: ip, prefixId, sourceRef: "vlan-move" });
      await recordAddressEvent(tx, actor, ip, "created", { ...fields, reason: "reserved for a planned VLAN move" });
    }
    const [row] = await tx
      .insert(ipamVlanMoves)
      .values({
        hostname,
        vmid: input.vmid ?? null,
        targetAddress: ip,
        targetVid: vid,
        fromRole: text(input.fromRole),
        toRole: text(input.toRole),
        wave,
        note: text(input.note),
      })
      .returning();
    await writeAudit(tx, actor, { action: "ipam.vlan_move.create", entityType: "vlan_move", entityId: hostname, after: { ...row, isReservedInIpam: !held } });
    return row!;
  });
}

async function lockMove(tx: Tx, id: number): Promise<IpamVlanMoveRow> {
  const [row] = await tx.select().from(ipamVlanMoves).where(eq(ipamVlanMoves.id, id)).for("update");
  if (!row) throw new AppError("NOT_FOUND", `VLAN move ${id} does not exist`);
  return row;
}

/** The cutover's roles, the wave override and the note; the target is changed by deleting and planning again. */
export async function updateVlanMove(
  db: DbOrTx,
  actor: Actor,
  id: number,
  patch: Pick<VlanMoveInput, "fromRole" | "toRole" | "wave" | "note">,
): Promise<IpamVlanMoveRow> {
  const wave = patch.wave === undefined ? undefined : parseWave(patch.wave);
  return db.transaction(async (tx) => {
    const before = await lockMove(tx, id);
    const [row] = await tx
      .update(ipamVlanMoves)
      .set({
        fromRole: patch.fromRole === undefined ? before.fromRole : text(patch.fromRole),
        toRole: patch.toRole === undefined ? before.toRole : text(patch.toRole),
        wave: wave === undefined ? before.wave : wave,
        note: patch.note === undefined ? before.note : text(patch.note),
        updatedAt: new Date(),
      })
      .where(eq(ipamVlanMoves.id, id))
      .returning();
    await writeAudit(tx, actor, { action: "ipam.vlan_move.update", entityType: "vlan_move", entityId: before.hostname, before, after: row });
    return row!;
  });
}

// planned → in progress → done; back to planned (rolled back) from either; done → in progress (reopened).
const ALLOWED: Record<StoredMoveStatus, StoredMoveStatus[]> = {
  planned: ["in_progress"],
  in_progress: ["done", "planned"],
  done: ["in_progress", "planned"],
};

/**
 * Moves a host's migration along. Starting it needs the move to be ready: every check passes
 * against IPAM and the latest collection, earlier waves done; otherwise the refusal names the checks.
 */
export async function setVlanMoveStatus(db: DbOrTx, actor: Actor, id: number, status: StoredMoveStatus): Promise<IpamVlanMoveRow> {
  return db.transaction(async (tx) => {
    const before = await lockMove(tx, id);
    if (before.status === status) return before;
    if (!ALLOWED[before.status].includes(status))
      throw new AppError(
        "CONFLICT",
        `${before.hostname}'s move is ${before.status.replace("_", " ")}: it cannot go to ${status.replace("_", " ")} from there`,
        {
          field: "status",
        },
      );
    if (status === "in_progress" && before.status === "planned") {
      const { moves, facts } = await findMovesWithFacts(tx);
      const mine = planMoves(moves, facts).find((m) => m.id === id)!;
      if (mine.displayStatus !== "ready")
        throw new AppError(
          "CONFLICT",
          `${before.hostname}'s move is not ready: ${
            mine.blockers.join("; ") ||
            mine.checks
              .filter((c) => !c.isOk)
              .map((c) => c.detail)
              .join("; ")
          }`,
          { field: "status" },
        );
    }
    const [row] = await tx
      .update(ipamVlanMoves)
      .set({ status, statusChangedAt: new Date(), statusChangedBy: actor.id, updatedAt: new Date() })
      .where(eq(ipamVlanMoves.id, id))
      .returning();
    await writeAudit(tx, actor, { action: "ipam.vlan_move.status", entityType: "vlan_move", entityId: before.hostname, before, after: row });
    return row!;
  });
}

/**
 * Deletes a move that has not started. The IPAM reservation it made stays (address rows are never
 * deleted): release it on the IPAM page if nothing will use it.
 */
export async function deleteVlanMove(db: DbOrTx, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lockMove(tx, id);
    if (before.status !== "planned")
      throw new AppError("CONFLICT", `${before.hostname}'s move is ${before.status.replace("_", " ")}: set it back to planned before deleting it`, {
        field: "status",
      });
    await tx.delete(ipamVlanMoves).where(eq(ipamVlanMoves.id, id));
    await writeAudit(tx, actor, { action: "ipam.vlan_move.delete", entityType: "vlan_move", entityId: before.hostname, before });
  });
}
