import { z } from "zod";

// The IdP's token endpoint, for re-checking a signed-in user with their refresh token (OpenID Connect
// Core §12: a refresh returns a new ID token with the user's current claims; Keycloak answers 400
// invalid_grant once the user is disabled, logged out or their SSO session has ended).

export type OidcErrorKind = "refused" | "unreachable";

export class OidcError extends Error {
  constructor(
    readonly kind: OidcErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "OidcError";
  }
}

export interface OidcClientConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

const discoverySchema = z.object({ token_endpoint: z.url() });
const tokenSchema = z.object({ id_token: z.string().optional(), access_token: z.string(), refresh_token: z.string().optional() });
const errorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export type RefreshedTokens = z.infer<typeof tokenSchema>;

const tokenEndpoints = new Map<string, string>();

async function fetchOrFail(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new OidcError("unreachable", `${url}: ${(err as Error).message}`);
  }
}

async function getTokenEndpoint(cfg: OidcClientConfig): Promise<string> {
  const known = tokenEndpoints.get(cfg.issuer);
  if (known) return known;
  const url = `${cfg.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  const res = await fetchOrFail(url, {}, cfg.timeoutMs ?? 5000);
  if (!res.ok) throw new OidcError("unreachable", `${url} answered ${res.status}`);
  const parsed = discoverySchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new OidcError("unreachable", `${url} has no token_endpoint`);
  tokenEndpoints.set(cfg.issuer, parsed.data.token_endpoint);
  return parsed.data.token_endpoint;
}

/** A refresh-token grant with client_secret_basic (what next-auth signs in with). */
export async function refreshTokens(cfg: OidcClientConfig, refreshToken: string): Promise<RefreshedTokens> {
  const endpoint = await getTokenEndpoint(cfg);
  const basic = Buffer.from(`${encodeURIComponent(cfg.clientId)}:${encodeURIComponent(cfg.clientSecret)}`).toString("base64");
  const res = await fetchOrFail(
    endpoint,
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }),
    },
    cfg.timeoutMs ?? 5000,
  );
  const body: unknown = await res.json().catch(() => null);
  if (res.status === 400 || res.status === 401) {
    const err = errorSchema.safeParse(body);
    throw new OidcError(
      "refused",
      err.success ? `${err.data.error}${err.data.error_description ? `: ${err.data.error_description}` : ""}` : `answered ${res.status}`,
    );
  }
  if (!res.ok) throw new OidcError("unreachable", `token endpoint answered ${res.status}`);
  const tokens = tokenSchema.safeParse(body);
  if (!tokens.success)
    throw new OidcError("unreachable", `token endpoint answer: ${tokens.error.issues[0]?.path.join(".")} ${tokens.error.issues[0]?.message}`);
  return tokens.data;
}
