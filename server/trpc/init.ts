import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { hasAccess, hasAnyItRole, type Access } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/auth/session-policy";
import { AppError, type AppErrorCode } from "@/lib/errors";
import type { OutsideSystems } from "@/server/connectors/outside-systems";
import { getSecretsKey } from "@/server/crypto/secrets-key";
import type { Db } from "@/server/db/client";
import { getEnv, type Env } from "@/server/env";
import { loadOutsideSystems } from "@/server/services/port-security/connections";
import { recordAccessDenied } from "@/server/services/platform/auth-events";

/**
 * What every procedure needs, built once per request (createContext): the database, the user,
 * the environment, the secrets key and the outside systems (read lazily: most procedures need
 * neither). Protected procedures add `actor`, the audit identity of the user.
 */
export interface TrpcContext {
  db: Db;
  user: SessionUser | null;
  env: Env;
  getSecretsKey(): Buffer;
  /** Tenantos and Proxmox as configured now (a connection saved in the console wins), loaded once per request. */
  getOutsideSystems(): Promise<OutsideSystems | undefined>;
}

/** The context for a request or a caller: the rest follows from the database and the user. */
export function createContext(input: { db: Db; user: SessionUser | null; env?: Env; secretsKey?: Buffer }): TrpcContext {
  const env = input.env ?? getEnv();
  let outside: Promise<OutsideSystems | undefined> | undefined;
  const getKey = () => input.secretsKey ?? getSecretsKey();
  return {
    db: input.db,
    user: input.user,
    env,
    getSecretsKey: getKey,
    getOutsideSystems: () => (outside ??= loadOutsideSystems(input.db, env, getKey())),
  };
}

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Which form field was wrong, for inline messages.
        field: cause instanceof AppError ? (cause.field ?? null) : null,
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
      },
    };
  },
});

const APP_TO_TRPC: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHORIZED: "UNAUTHORIZED",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

// Domain code throws AppError; this is where it becomes a tRPC error with the right status.
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: APP_TO_TRPC[cause.code], message: cause.message, cause });
  }
  return result;
});

const isAuthed = t.middleware(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  // Who did it, as the audit log records it: the email when there is one.
  return next({
    ctx: {
      ...ctx,
      user: ctx.user,
      actor: {
        id: ctx.user.email || ctx.user.id,
        // Separation of duties compares these, never the email (lib/approvals/duties).
        issuer: ctx.user.issuer,
        subject: ctx.user.id,
        isBreakGlass: ctx.user.isBreakGlass === true,
        roles: ctx.user.roles,
      },
    },
  });
});

function requireAccess(...anyOf: Access[]) {
  const access = anyOf.join(" or ");
  return t.middleware(async ({ ctx, next, path }) => {
    const user = ctx.user!;
    if (!anyOf.some((a) => hasAccess(user.roles, a))) {
      await recordAccessDenied(ctx.db, user.email || user.id, { path, needs: access, roles: user.roles });
      const why = hasAnyItRole(user.roles) ? `this needs the ${access} role` : "you have no Sankofa IT role";
      throw new TRPCError({ code: "FORBIDDEN", message: `forbidden: ${why}` });
    }
    return next();
  });
}

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(mapAppErrors);
export const protectedProcedure = publicProcedure.use(isAuthed);
/** Read the IT console: IT admins and viewers. */
export const viewerProcedure = protectedProcedure.use(requireAccess("viewer"));
/** Change things: IT admins only. */
export const adminProcedure = protectedProcedure.use(requireAccess("admin"));
/** Billing: finance and IT admins. */
export const financeProcedure = protectedProcedure.use(requireAccess("finance"));
/** The top bar's search: anyone with a console role (each sees only the kinds of their pages). */
export const searchProcedure = protectedProcedure.use(requireAccess("viewer", "finance"));
