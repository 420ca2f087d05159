import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { refuseTrpcRequest } from "@/server/http/trpc-guard";
import { appRouter } from "@/server/trpc/root";
import { createRequestContext } from "@/server/trpc/server";

const handler = (req: Request) =>
  refuseTrpcRequest(req) ?? fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: createRequestContext });

export { handler as GET, handler as POST };
