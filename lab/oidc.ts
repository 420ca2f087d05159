import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { assertLoopback, LAB_HOST } from "./loopback";

// The lab's stand-in for Keycloak: a real OpenID provider (oidc-provider) on loopback, with a
// Keycloak-shaped issuer path and Keycloak-shaped role claims.
export interface OidcLabOptions {
  /** 0 picks a free port; the real one is in `url`/`issuer`. */
  port: number;
  /** Only loopback: the type says so and startOidcLab checks it at run time too. */
  host?: typeof LAB_HOST;
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
}

export interface OidcLab {
  issuer: string;
  url: string;
  close(): Promise<void>;
}

interface LabAccount {
  email: string;
  name: string;
  roles: string[];
  groups: string[];
}

/** Log in with any password; the login name picks the account. Unknown names get no roles. */
export const LAB_ACCOUNTS: Record<string, LabAccount> = {
  "it-admin": { email: "it-admin@lab.sankofa.test", name: "Lab IT Admin", roles: ["sankofa-it-admin", "offline_access"], groups: ["/sankofa-it-admin"] },
  "it-viewer": { email: "it-viewer@lab.sankofa.test", name: "Lab IT Viewer", roles: ["sankofa-it-viewer"], groups: [] },
  finance: { email: "finance@lab.sankofa.test", name: "Lab Finance", roles: ["sankofa-finance"], groups: [] },
  "client-admin": { email: "client-admin@acme.test", name: "Acme Client Admin", roles: ["client-admin"], groups: ["/clients/acme"] },
};

const RELEASED_CLAIMS = ["email", "email_verified", "name", "preferred_username", "realm_access", "groups"];

function claimsFor(login: string) {
  const account = LAB_ACCOUNTS[login] ?? { email: `${login}@lab.sankofa.test`, name: login, roles: [], groups: [] };
  return {
    sub: login,
    email: account.email,
    email_verified: true,
    name: account.name,
    preferred_username: login,
    realm_access: { roles: account.roles },
    groups: account.groups,
  };
}

// Consent is not what the lab tests: our client is granted its scopes at once.
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { provider, client, session, result } = ctx.oidc;
  const grantId = result?.consent?.grantId ?? session?.grantIdFor(client!.clientId);
  const existing = grantId ? await provider.Grant.find(grantId) : undefined;
  if (existing) return existing;
  const grant = new provider.Grant({ clientId: client!.clientId, accountId: session!.accountId! });
  grant.addOIDCScope("openid email profile roles");
  grant.addOIDCClaims(RELEASED_CLAIMS);
  await grant.save();
  return grant;
}

export async function startOidcLab(opts: OidcLabOptions): Promise<OidcLab> {
  const host = opts.host ?? LAB_HOST;
  assertLoopback(host, "oidc");
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, resolve);
  });
  const { port, address } = server.address() as AddressInfo;
  if (address !== host) server.close();
  assertLoopback(address, "oidc");
  const url = `http://${host}:${port}`;
  const basePath = "/realms/sankofa";
  const issuer = `${url}${basePath}`;

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId ?? "sankofa-it",
        client_secret: opts.clientSecret ?? "lab-secret",
        redirect_uris: opts.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: "lab-rs256", use: "sig", alg: "RS256" }] as never },
    cookies: { keys: ["sankofa-lab-cookie-key"] },
    scopes: ["openid", "email", "profile", "roles", "offline_access"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "preferred_username"], roles: ["realm_access", "groups"] },
    // Put scope claims in the ID token, as a Keycloak realm with ID-token role mappers does.
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => claimsFor(sub) }),
    loadExistingGrant,
    pkce: { required: () => false },
    ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 3600, Grant: 3600 },
    features: { devInteractions: { enabled: true } },
  });
  const callback = provider.callback();

  server.on("request", (req, res) => {
    if (req.url === "/health") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    if (!req.url?.startsWith(basePath)) {
      res.writeHead(404).end();
      return;
    }
    // Mounted under the issuer path, as Keycloak's /realms/<realm>: oidc-provider reads the mount
    // point from originalUrl.
    (req as http.IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
    req.url = req.url.slice(basePath.length) || "/";
    void callback(req, res);
  });

  return {
    issuer,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
