import "server-only";
import { cache } from "react";
import { getSessionUser } from "@/server/auth/session";
import { getDatabase } from "@/server/db/client";
import { createCaller } from "./root";
import { createContext, type TrpcContext } from "./init";

export async function createRequestContext(): Promise<TrpcContext> {
  return createContext({ db: getDatabase().db, user: await getSessionUser() });
}

/** Server components call procedures directly, through the same role checks as HTTP. */
export const getServerCaller = cache(async () => createCaller(await createRequestContext()));
