// What the tRPC endpoint accepts before tRPC reads anything. tRPC 11 also takes mutations as
// multipart/form-data, so a plain HTML form on any same-site page could post one (Apply All) with
// the admin's cookie: a state-changing call must be JSON and carry a header only script on our
// own pages can set (a cross-site form can set neither). Batches are capped.

/** The header the console's tRPC client sends with every call. */
export const TRPC_CLIENT_HEADER = "x-sankofa-console";
export const MAX_TRPC_BATCH = 32;

/** A refusal for this request, or null when tRPC may read it. */
export function refuseTrpcRequest(req: Request): Response | null {
  const url = new URL(req.url);
  const procedures = url.pathname
    .replace(/^\/api\/trpc\/?/, "")
    .split(",")
    .filter(Boolean);
  if (procedures.length > MAX_TRPC_BATCH) return Response.json({ error: `a batch may hold ${MAX_TRPC_BATCH} calls at most` }, { status: 400 });
  if (req.method !== "POST") return null;
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" || req.headers.get(TRPC_CLIENT_HEADER) !== "1") {
    return Response.json({ error: `changes are accepted only as JSON from the console (${TRPC_CLIENT_HEADER} header)` }, { status: 403 });
  }
  return null;
}
