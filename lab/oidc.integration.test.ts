import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLab, type Lab } from "./index";
import { startOidcLab } from "./oidc";
import { LAB_CLIENT, runCodeFlow, type ClientStyle } from "./oidc-code-flow";

const REDIRECT = "http://127.0.0.1:39999/api/auth/callback/oidc";

async function signIn(lab: Lab, login: string, style?: ClientStyle): Promise<Record<string, unknown>> {
  return (await runCodeFlow(lab.oidc!.issuer, REDIRECT, login, style)).claims;
}

async function refresh(tokenEndpoint: string, refreshToken: string): Promise<Response> {
  return fetch(tokenEndpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${LAB_CLIENT.id}:${LAB_CLIENT.secret}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }),
  });
}

describe("lab OpenID provider", () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ oidc: { port: 0, redirectUris: [REDIRECT] } });
  });
  afterAll(() => lab.close());

  it("serves Keycloak-shaped discovery on loopback", async () => {
    expect(lab.oidc!.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/realms\/sankofa$/);
    const discovery = (await (await fetch(`${lab.oidc!.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(lab.oidc!.issuer);
  });

  it("signs an IT admin in with realm roles in the ID token", async () => {
    const claims = await signIn(lab, "it-admin");
    expect(claims).toMatchObject({ email: "it-admin@lab.sankofa.test", realm_access: { roles: expect.arrayContaining(["sankofa-it-admin"]) } });
  });

  it("gives a portal client admin no Sankofa IT role", async () => {
    const claims = await signIn(lab, "client-admin");
    expect(claims.realm_access).toEqual({ roles: ["client-admin"] });
    expect(claims.groups).toEqual(["/clients/acme"]);
  });

  it("gives an unknown login no roles at all", async () => {
    const claims = await signIn(lab, "someone-else");
    expect(claims).toMatchObject({ sub: "someone-else", preferred_username: "someone-else", realm_access: { roles: [] }, groups: [] });
  });

  it("accepts PKCE and client_secret_post as well", async () => {
    const claims = await signIn(lab, "it-viewer", { auth: "client_secret_post", pkce: true });
    expect(claims.realm_access).toEqual({ roles: ["sankofa-it-viewer"] });
  });

  it("reports a second factor in amr for an account with OTP, and only a password for one without", async () => {
    expect(await signIn(lab, "it-admin")).toMatchObject({ acr: "1", amr: ["pwd", "otp"] });
    expect(await signIn(lab, "it-admin-no-otp")).toMatchObject({ acr: "1", amr: ["pwd"] });
  });

  it("issues a refresh token whose refresh carries the user's current roles, and refuses it once the user is disabled", async () => {
    const login = "lab-refresh-user";
    lab.oidc!.updateAccount(login, { roles: ["sankofa-it-viewer"] });
    const tokens = await runCodeFlow(lab.oidc!.issuer, REDIRECT, login);
    expect(tokens.refresh_token).toBeTruthy();

    lab.oidc!.updateAccount(login, { roles: ["sankofa-it-admin"] });
    const refreshed = await refresh(tokens.tokenEndpoint, tokens.refresh_token!);
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as { id_token: string; refresh_token: string };
    expect(JSON.parse(Buffer.from(body.id_token.split(".")[1]!, "base64url").toString("utf8")).realm_access).toEqual({ roles: ["sankofa-it-admin"] });

    lab.oidc!.updateAccount(login, { isEnabled: false });
    const refused = await refresh(tokens.tokenEndpoint, body.refresh_token);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_grant");
    await expect(runCodeFlow(lab.oidc!.issuer, REDIRECT, login)).rejects.toThrow(/access_denied/);
  });

  it("lets a test in another process change an account over the lab's admin door", async () => {
    const res = await fetch(`${lab.oidc!.url}/lab/accounts/lab-http-user`, { method: "POST", body: JSON.stringify({ roles: ["sankofa-finance"] }) });
    expect(res.status).toBe(204);
    expect((await signIn(lab, "lab-http-user")).realm_access).toEqual({ roles: ["sankofa-finance"] });
  });

  it("answers /health for Playwright's webServer wait", async () => {
    const res = await fetch(`${lab.oidc!.url}/health`);
    expect([res.status, await res.text()]).toEqual([200, "ok"]);
  });

  it("refuses to listen anywhere but loopback", async () => {
    await expect(startOidcLab({ port: 0, host: "0.0.0.0" as "127.0.0.1", redirectUris: [REDIRECT] })).rejects.toThrow(/127\.0\.0\.1 only/);
  });
});
