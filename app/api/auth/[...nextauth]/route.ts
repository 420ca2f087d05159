import NextAuth from "next-auth";
import { getAuthOptions } from "@/server/auth/options";
import { guardCredentialsSignIn, MAX_AUTH_BODY } from "@/server/auth/sign-in-guard";
import { json } from "@/server/http/respond";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

function handler(req: Request, ctx: RouteContext) {
  return NextAuth(getAuthOptions())(req, ctx);
}

/**
 * Sign-in posts are capped in size; the bootstrap admin's door answers 429 while this address waits
 * for this account, and slows (never shuts) an account under a spread-out guessing run, before any
 * password is hashed (server/auth/sign-in-guard.ts).
 */
async function post(req: Request, ctx: RouteContext) {
  if (new URL(req.url).pathname.endsWith("/callback/credentials")) {
    const refused = await guardCredentialsSignIn(req);
    if (refused) return refused;
  } else if (Number(req.headers.get("content-length") ?? "0") > MAX_AUTH_BODY) return json(413, { error: `sign-in body is over ${MAX_AUTH_BODY} bytes` });
  return handler(req, ctx);
}

export { handler as GET, post as POST };
