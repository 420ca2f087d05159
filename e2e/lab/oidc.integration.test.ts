import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLab, type Lab } from "./index";

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

async function signIn(lab: Lab, login: string): Promise<Record<string, unknown>> {
  const discovery = (await (await fetch(`${lab.oidc!.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  const browse = createBrowser();
  const auth = new URL(discovery.authorization_endpoint!);
  auth.search = new URLSearchParams({ client_id: "sankofa-it", redirect_uri: REDIRECT, response_type: "code", scope: "openid email profile roles", state: "s1", nonce: "n1" }).toString();

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

  const token = await fetch(discovery.token_endpoint!, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from("sankofa-it:lab-secret").toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code: code!, redirect_uri: REDIRECT }),
  });
  expect(token.status).toBe(200);
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
});
