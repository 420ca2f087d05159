import { AppError } from "@/lib/errors";
import type { IpamAddressRow } from "@/drizzle/schema";
import type { DbOrTx } from "@/server/db/client";
import { createAddress, type AddressFields } from "./addresses";
import { claimNextFreeAddress } from "./prefixes";
import type { Actor } from "../platform/audit";

export interface Reservation {
  ownerTeam: string;
  service: string;
  hostname?: string | null;
  vlanVid?: number | null;
}

/**
 * Reserves an address for an owner and a service before anything uses it: the `planned` status
 * with both named. A given address, or the prefix's next free one. The row holds the address, so
 * the next-free claim passes over it, and over it still once released (rows are history).
 */
export async function reserveAddress(
  db: DbOrTx,
  actor: Actor,
  input: Reservation & ({ address: string; prefixId?: undefined } | { prefixId: number; address?: undefined }),
): Promise<IpamAddressRow> {
  const ownerTeam = input.ownerTeam.trim();
  const service = input.service.trim();
  if (!ownerTeam) throw new AppError("BAD_REQUEST", "a reservation names its owner team", { field: "ownerTeam" });
  if (!service) throw new AppError("BAD_REQUEST", "a reservation names the service it is for", { field: "service" });
  const fields: AddressFields = { ownerTeam, service, hostname: input.hostname, vlanVid: input.vlanVid, status: "planned" };
  if (input.address !== undefined) return createAddress(db, actor, { ...fields, address: input.address }, { action: "ipam.address.reserve" });
  return claimNextFreeAddress(db, actor, input.prefixId, fields, { action: "ipam.address.reserve" });
}
