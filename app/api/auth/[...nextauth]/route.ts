import NextAuth from "next-auth";
import { getAuthOptions } from "@/server/auth/options";
import { clientOf, findSignInLockout, MAX_AUTH_BODY } from "@/server/auth/sign-in-guard";
import { json } from "@/server/http/respond";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

function handler(req: Request, ctx: RouteContext) {
  return NextAuth(getAuthOptions())(req, ctx);
}

/**
 * Sign-in posts are capped in size, and the bootstrap admin's door answers 429 while the account
 * or the client address is past its attempt limit (before any password is hashed).
 */
async function post(req: Request, ctx: RouteContext) {
  if (Number(req.headers.get("content-length") ?? "0") > MAX_AUTH_BODY) return json(413, { error: `sign-in body is over ${MAX_AUTH_BODY} bytes` });
  if (new URL(req.url).pathname.endsWith("/callback/credentials")) {
    const form = await req
      .clone()
      .formData()
      .catch(() => undefined);
    const wait = findSignInLockout(String(form?.get("email") ?? ""), clientOf(req.headers));
    if (wait > 0) return json(429, { error: `too many failed sign-ins: try again in ${wait} s` }, { "retry-after": String(wait) });
  }
  return handler(req, ctx);
}

export { handler as GET, post as POST };
