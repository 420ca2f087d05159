import { openApiDocument } from "@/lib/api/openapi";

// Public: the contract holds no data.
export const GET = () => Response.json(openApiDocument, { headers: { "cache-control": "public, max-age=300" } });
