import { getEnv } from "@/server/env";
import { isBearerTokenValid } from "./bearer";

/** Prometheus scrapes openly unless METRICS_BEARER_TOKEN is set. */
export function isMetricsRequestAllowed(authorization: string | null): boolean {
  const token = getEnv().METRICS_BEARER_TOKEN;
  return !token || isBearerTokenValid(authorization, token);
}
