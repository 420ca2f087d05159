import { CronExpressionParser } from "cron-parser";
import { AppError } from "../errors";

/**
 * A five-field cron expression (minute hour day month weekday), as graphile-worker's crontab reads
 * it. Six-field (seconds) forms are refused: the job runner has minute granularity.
 */
export function parseCronSchedule(text: string, field = "backupSchedule", label = "Backup schedule"): string {
  const expr = text.trim().replace(/\s+/g, " ");
  const fields = expr === "" ? 0 : expr.split(" ").length;
  if (fields !== 5) {
    throw new AppError("BAD_REQUEST", `${label}: "${text.trim()}" must have 5 fields (minute hour day month weekday), got ${fields}`, { field });
  }
  try {
    CronExpressionParser.parse(expr, { strict: false });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new AppError("BAD_REQUEST", `${label}: "${expr}" is not a valid cron expression (${reason})`, { field });
  }
  return expr;
}

export function nextCronRuns(expr: string, count: number, from: Date): Date[] {
  const it = CronExpressionParser.parse(expr, { currentDate: from, tz: "UTC" });
  return Array.from({ length: count }, () => it.next().toDate());
}

/** True when the schedule fires in the minute that starts at `minute` (UTC). */
export function isCronDue(expr: string, minute: Date): boolean {
  const start = new Date(Math.floor(minute.getTime() / 60_000) * 60_000);
  const next = CronExpressionParser.parse(expr, { currentDate: new Date(start.getTime() - 1), tz: "UTC" })
    .next()
    .toDate();
  return next.getTime() === start.getTime();
}

/** The last time the schedule fired at or before `at` (UTC): the run a catch-up makes up for. */
export function findLastCronRun(expr: string, at: Date): Date {
  return CronExpressionParser.parse(expr, { currentDate: new Date(at.getTime() + 1), tz: "UTC" })
    .prev()
    .toDate();
}
