import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}

/** `2026-11-30 02:05` (UTC), or a dash for no time: how tables show when something happened. */
export function formatUtcMinute(d: Date | string | null | undefined): string {
  return d ? new Date(d).toISOString().slice(0, 16).replace("T", " ") : "—";
}
