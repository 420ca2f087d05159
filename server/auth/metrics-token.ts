import { getEnv } from "@/server/env";
import { isBearerTokenValid } from "./bearer";

/**
 * Prometheus scrapes with METRICS_BEARER_TOKEN. In development an unset token leaves the door
 * open; in production it stays shut until a token is set (the metrics name switches, jobs, doors).
 */
export function isMetricsRequestAllowed(authorization: string | null): boolean {
  const env = getEnv();
  const token = env.METRICS_BEARER_TOKEN;
  if (!token) return env.NODE_ENV !== "production";
  return isBearerTokenValid(authorization, token);
}
