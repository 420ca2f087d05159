import { isAppError, type AppErrorCode } from "@/lib/errors";

// What every door and route handler answers with: JSON or text, never cached, and domain errors
// mapped to HTTP statuses here and only here (tRPC's map is in server/trpc/init.ts).

const NO_STORE = { "cache-control": "no-store" };

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { ...NO_STORE, ...headers } });

export const text = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", ...NO_STORE, ...headers } });

export const APP_ERROR_STATUS: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** Runs a handler; an AppError becomes its HTTP status with `{error, field}`; anything else is a 500 Next logs. */
export async function answerAppErrors(run: () => Promise<Response>, as: "json" | "text" = "json"): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (!isAppError(e)) throw e;
    const status = APP_ERROR_STATUS[e.code];
    return as === "json" ? json(status, { error: e.message, ...(e.field ? { field: e.field } : {}) }) : text(status, `${e.message}\n`);
  }
}
