import { createHash, randomBytes } from "node:crypto";

// A scripted relying party for the lab's OpenID provider: the authorization-code flow a browser and
// next-auth would run, reduced to cookies and manual redirects. Test tooling: the lab's own tests and
// the console's session tests sign in with it.

/** How the client talks to the token endpoint: next-auth's default, and the other shapes it may use. */
export interface ClientStyle {
  auth: "client_secret_basic" | "client_secret_post";
  pkce: boolean;
}

export interface CodeFlowTokens {
  id_token: string;
  access_token: string;
  refresh_token?: string;
  /** The ID token's payload, decoded (the lab signed it; the flow does not need to verify it). */
  claims: Record<string, unknown>;
  tokenEndpoint: string;
}

export const LAB_CLIENT = { id: "sankofa-it", secret: "lab-secret" } as const;

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

export function decodeIdToken(idToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(idToken.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** Signs `login` in (any password) and exchanges the code; throws with the provider's words on failure. */
export async function runCodeFlow(
  issuer: string,
  redirectUri: string,
  login: string,
  style: ClientStyle = { auth: "client_secret_basic", pkce: false },
): Promise<CodeFlowTokens> {
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  const browse = createBrowser();
  const auth = new URL(discovery.authorization_endpoint!);
  const verifier = randomBytes(32).toString("base64url");
  const query = new URLSearchParams({
    client_id: LAB_CLIENT.id,
    redirect_uri: redirectUri,
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
  const form = await res.text();
  if (!form.includes('name="login"')) throw new Error(`no login form at ${interaction}`);
  res = await browse(interaction, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ prompt: "login", login, password: "whatever" }),
  });
  // Follow redirects until the provider sends us to the client with a code (or an error).
  for (let hops = 0; hops < 5; hops++) {
    location = new URL(res.headers.get("location")!, auth).toString();
    if (location.startsWith(redirectUri)) break;
    res = await browse(location);
  }
  const back = new URL(location).searchParams;
  const code = back.get("code");
  if (!code) throw new Error(`sign-in refused: ${back.get("error")} ${back.get("error_description") ?? ""}`.trim());

  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  const body = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri });
  if (style.auth === "client_secret_basic") {
    headers.authorization = `Basic ${Buffer.from(`${LAB_CLIENT.id}:${LAB_CLIENT.secret}`).toString("base64")}`;
  } else {
    body.set("client_id", LAB_CLIENT.id);
    body.set("client_secret", LAB_CLIENT.secret);
  }
  if (style.pkce) body.set("code_verifier", verifier);
  const token = await fetch(discovery.token_endpoint!, { method: "POST", headers, body });
  if (token.status !== 200) throw new Error(`token endpoint answered ${token.status}: ${await token.text()}`);
  const tokens = (await token.json()) as Omit<CodeFlowTokens, "claims" | "tokenEndpoint">;
  return { ...tokens, claims: decodeIdToken(tokens.id_token), tokenEndpoint: discovery.token_endpoint! };
}
