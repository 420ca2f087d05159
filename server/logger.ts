import pino from "pino";
import { getEnv } from "./env";

const globalForLogger = globalThis as unknown as { sankofaLogger?: pino.Logger };

export function getLogger(): pino.Logger {
  globalForLogger.sankofaLogger ??= pino({ level: getEnv().LOG_LEVEL, base: { app: "sankofa-it" } });
  return globalForLogger.sankofaLogger;
}
