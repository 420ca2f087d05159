import { Logger, type LogLevel } from "graphile-worker";
import type pino from "pino";

/**
 * graphile-worker's log lines through pino. Its `info` lines (a line per completed job, every
 * heartbeat) go to debug, so the console shows what needs attention.
 */
export function createWorkerLogger(log: pino.Logger): Logger {
  return new Logger((scope) => (level: LogLevel, message: string, meta?: unknown) => {
    const fields = { scope, ...(meta && typeof meta === "object" ? { meta } : {}) };
    if (level === "error") log.error(fields, message);
    else if (level === "warning") log.warn(fields, message);
    else log.debug(fields, message);
  });
}
