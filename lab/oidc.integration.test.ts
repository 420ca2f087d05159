import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLab, type Lab } from "./index";
import { startOidcLab } from "./oidc";

const REDIRECT = "http://127.0.0.1:39999/api/auth/callback/oidc";

/** A browser reduced to what an authorization-code flow needs: cookies and manual redirects. */
function createBrowser() {
  const jar = new Map<string, string>();
  return async function request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return res;
  };
}

/** How the client talks to the token endpoint: next-auth's default, and the other shapes it may use. */
interface ClientStyle {
  auth: "client_secret_basic" | "client_secret_post";
  pkce: boolean;
}

async function signIn(lab: Lab, login: string, style: ClientStyle = { auth: "client_secret_basic", pkce: false }): Promise<Record<string, unknown>> {
  const discovery = (await (await fetch(`${lab.oidc!.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  const browse = createBrowser();
  const auth = new URL(discovery.authorization_endpoint!);
  const verifier = randomBytes(32).toString("base64url");
  const query = new URLSearchParams({
    client_id: "sankofa-it",
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid email profile roles",
    state: "s1",
    nonce: "n1",
  });
  if (style.pkce) {
    query.set("code_challenge", createHash("sha256").update(verifier).digest("base64url"));
    query.set("code_challenge_method", "S256");
  }
  auth.search = query.toString();

  let res = await browse(auth.toString());
  let location = res.headers.get("location")!;
  // → the interaction: the login form, which posts back to the same URL
  const interaction = new URL(location, auth).toString();
  res = await browse(interaction);
  expect(await res.text()).toContain('name="login"');
  res = await browse(interaction, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ prompt: "login", login, password: "whatever" }),
  });
  // Follow redirects until the provider sends us to the client with a code.
  for (let hops = 0; hops < 5; hops++) {
    location = new URL(res.headers.get("location")!, auth).toString();
    if (location.startsWith(REDIRECT)) break;
    res = await browse(location);
  }
  const code = new URL(location).searchParams.get("code");
  expect(code).toBeTruthy();

  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  const body = new URLSearchParams({ grant_type: "authorization_code", code: code!, redirect_uri: REDIRECT });
  if (style.auth === "client_secret_basic") {
    headers.authorization = `Basic ${Buffer.from("sankofa-it:lab-secret").toString("base64")}`;
  } else {
    body.set("client_id", "sankofa-it");
    body.set("client_secret", "lab-secret");
  }
  if (style.pkce) body.set("code_verifier", verifier);
  const token = await fetch(discovery.token_endpoint!, { method: "POST", headers, body });
  expect(token.status, await token.clone().text()).toBe(200);
  const { id_token } = (await token.json()) as { id_token: string };
  return JSON.parse(Buffer.from(id_token.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
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

  it("answers /health for Playwright's webServer wait", async () => {
    const res = await fetch(`${lab.oidc!.url}/health`);
    expect([res.status, await res.text()]).toEqual([200, "ok"]);
  });

  it("refuses to listen anywhere but loopback", async () => {
    await expect(startOidcLab({ port: 0, host: "0.0.0.0" as "127.0.0.1", redirectUris: [REDIRECT] })).rejects.toThrow(/127\.0\.0\.1 only/);
  });
});
