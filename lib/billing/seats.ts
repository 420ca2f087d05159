import { AppError } from "../errors";

/** Refuses giving a seat when every seat of the licence is taken. */
export function assertSeatFree(licence: { id: number; seatCount: number; status: string }, assigned: number): void {
  if (licence.status !== "active" && licence.status !== "past_due")
    throw new AppError("CONFLICT", `licence ${licence.id} is ${licence.status}: its seats cannot be assigned`, { field: "licenceId" });
  if (assigned >= licence.seatCount)
    throw new AppError("CONFLICT", `licence ${licence.id} has ${licence.seatCount} seat(s), all assigned: free one or buy more seats first`, {
      field: "holder",
    });
}

/** Refuses shrinking a licence below the seats it has given out. */
export function assertSeatCountFits(licence: { id: number }, seatCount: number, assigned: number): void {
  if (!Number.isInteger(seatCount) || seatCount < 0)
    throw new AppError("BAD_REQUEST", `seat count must be a whole number ≥ 0, got ${seatCount}`, { field: "seatCount" });
  if (seatCount < assigned)
    throw new AppError("CONFLICT", `licence ${licence.id} has ${assigned} seat(s) assigned: revoke ${assigned - seatCount} before lowering to ${seatCount}`, {
      field: "seatCount",
    });
}

/** Licences with more seats given out than bought (Stripe lowered the quantity, say): shown as over-used. */
export function isOverUsed(seatCount: number, assigned: number): boolean {
  return assigned > seatCount;
}

/** Valid within 30 days of `now`: the "expiring soon" list. */
export function isExpiringSoon(validTo: Date | null, now: Date, days = 30): boolean {
  return validTo !== null && validTo.getTime() >= now.getTime() && validTo.getTime() - now.getTime() <= days * 86_400_000;
}
