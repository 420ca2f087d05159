import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { assertLoopback, LAB_HOST, closeServer } from "./loopback";

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
  /** What an IdP admin does in Keycloak's console: change a user's roles/groups, or disable the user. */
  updateAccount(login: string, change: Partial<Pick<LabAccount, "roles" | "groups" | "isEnabled">>): void;
  close(): Promise<void>;
}

export interface LabAccount {
  email: string;
  name: string;
  roles: string[];
  groups: string[];
  /** Has a second factor (OTP) configured: Keycloak's conditional OTP flow then asks for it at every login. */
  hasOtp: boolean;
  /** A disabled Keycloak user cannot sign in, and its refresh tokens stop working (invalid_grant). */
  isEnabled: boolean;
}

/** Log in with any password; the login name picks the account. Unknown names get no roles. */
export const LAB_ACCOUNTS: Record<string, LabAccount> = {
  "it-admin": {
    email: "it-admin@lab.sankofa.test",
    name: "Lab IT Admin",
    roles: ["sankofa-it-admin", "offline_access"],
    groups: ["/sankofa-it-admin"],
    hasOtp: true,
    isEnabled: true,
  },
  // In the admin group, but without a second factor configured: the console gives viewer access at most.
  "it-admin-no-otp": {
    email: "it-admin-no-otp@lab.sankofa.test",
    name: "Lab IT Admin Without OTP",
    roles: ["sankofa-it-admin"],
    groups: ["/sankofa-it-admin"],
    hasOtp: false,
    isEnabled: true,
  },
  "it-viewer": { email: "it-viewer@lab.sankofa.test", name: "Lab IT Viewer", roles: ["sankofa-it-viewer"], groups: [], hasOtp: false, isEnabled: true },
  finance: { email: "finance@lab.sankofa.test", name: "Lab Finance", roles: ["sankofa-finance"], groups: [], hasOtp: false, isEnabled: true },
  "client-admin": {
    email: "client-admin@acme.test",
    name: "Acme Client Admin",
    roles: ["client-admin"],
    groups: ["/clients/acme"],
    hasOtp: false,
    isEnabled: true,
  },
};

const RELEASED_CLAIMS = ["email", "email_verified", "name", "preferred_username", "realm_access", "groups"];

function accountFor(accounts: Map<string, LabAccount>, login: string): LabAccount {
  return accounts.get(login) ?? { email: `${login}@lab.sankofa.test`, name: login, roles: [], groups: [], hasOtp: false, isEnabled: true };
}

/**
 * What a login proves, as Keycloak reports it: `amr` from the AMR protocol mapper (the reference
 * values of the completed authenticators, "pwd" and "otp" by default; AmrProtocolMapper javadoc,
 * keycloak.org/docs-api) and `acr` "1" for a fresh login (Keycloak's default level without an
 * acr-loa-map; a guess for realms that map levels of their own).
 */
function loginEvidence(account: LabAccount): { acr: string; amr: string[] } {
  return { acr: "1", amr: account.hasOtp ? ["pwd", "otp"] : ["pwd"] };
}

function claimsFor(account: LabAccount, login: string) {
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

  const accounts = new Map(Object.entries(LAB_ACCOUNTS).map(([login, a]) => [login, { ...a }]));
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId ?? "sankofa-it",
        client_secret: opts.clientSecret ?? "lab-secret",
        redirect_uris: opts.redirectUris,
        // Keycloak's standard flow returns a refresh token with every code exchange.
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: "lab-rs256", use: "sig", alg: "RS256" }] as never },
    cookies: { keys: ["sankofa-lab-cookie-key"] },
    scopes: ["openid", "email", "profile", "roles", "offline_access"],
    claims: { openid: ["sub", "acr", "amr"], email: ["email", "email_verified"], profile: ["name", "preferred_username"], roles: ["realm_access", "groups"] },
    // Put scope claims in the ID token, as a Keycloak realm with ID-token role mappers does.
    conformIdTokenClaims: false,
    // A disabled user is "not found": the refresh grant then answers invalid_grant, as Keycloak does.
    findAccount: async (_ctx, sub) => {
      const account = accountFor(accounts, sub);
      return account.isEnabled ? { accountId: sub, claims: async () => claimsFor(account, sub) } : undefined;
    },
    issueRefreshToken: async () => true,
    loadExistingGrant,
    pkce: { required: () => false },
    ttl: { RefreshToken: 1800, AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 3600, Grant: 3600 },
    features: { devInteractions: { enabled: true } },
  });
  const callback = provider.callback();

  server.on("request", (req, res) => {
    if (req.url === "/health") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    // The lab's own admin door (Keycloak's admin console stand-in), for tests in another process.
    const admin = req.method === "POST" ? /^\/lab\/accounts\/([\w.-]+)$/.exec(req.url ?? "") : null;
    if (admin) {
      void updateAccountByHttp(admin[1]!, req, res);
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
    if (req.method === "POST" && /^\/interaction\/[^/]+$/.test(req.url)) {
      void finishLogin(req, res);
      return;
    }
    void callback(req, res);
  });

  /**
   * The login form's post (devInteractions' form: prompt, login, password). Handled here rather than
   * by devInteractions so the login carries Keycloak's acr/amr; consent is pre-granted (loadExistingGrant).
   */
  async function finishLogin(req: http.IncomingMessage, res: http.ServerResponse) {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const login = form.get("login") ?? "";
      const account = accountFor(accounts, login);
      const result = account.isEnabled
        ? { login: { accountId: login, ...loginEvidence(account) } }
        : { error: "access_denied", error_description: "Account is disabled, contact your administrator." };
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    } catch (err) {
      res.writeHead(400, { "content-type": "text/plain" }).end(String(err));
    }
  }

  const updateAccount: OidcLab["updateAccount"] = (login, change) => {
    accounts.set(login, { ...accountFor(accounts, login), ...change });
  };

  async function updateAccountByHttp(login: string, req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const change = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Partial<LabAccount>;
    updateAccount(login, {
      ...(Array.isArray(change.roles) ? { roles: change.roles.map(String) } : {}),
      ...(Array.isArray(change.groups) ? { groups: change.groups.map(String) } : {}),
      ...(typeof change.isEnabled === "boolean" ? { isEnabled: change.isEnabled } : {}),
    });
    res.writeHead(204).end();
  }

  return {
    issuer,
    url,
    updateAccount,
    close: () => closeServer(server),
  };
}
