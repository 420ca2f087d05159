import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

// Every route handler under app/api is a door; each must be in the OpenAPI document with each
// method it exports. next-auth's and tRPC's handlers speak browser protocols with contracts of
// their own (the console is their only client), so they are named here instead.
const BROWSER_PROTOCOLS = new Set(["/api/auth/{nextauth}", "/api/trpc/{trpc}"]);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function listRouteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listRouteFiles(p) : e.name === "route.ts" ? [p] : [];
  });
}

/** `app/api/switches/[id]/backups/[backupId]/route.ts` → `/api/switches/{id}/backups/{backupId}`. */
function toOpenApiPath(file: string): string {
  const dir = path.relative("app", path.dirname(file)).split(path.sep).join("/");
  return `/${dir.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, "{$1}")}`;
}

/** The HTTP methods a route file exports, however it writes them (function, const, or `export { x as GET }`). */
function findExportedMethods(source: string): string[] {
  return METHODS.filter((m) => new RegExp(`export\\s+(?:async\\s+)?(?:function|const)\\s+${m}\\b|export\\s*\\{[^}]*\\bas\\s+${m}\\b`).test(source));
}

const routes = listRouteFiles("app/api").map((file) => ({ file, path: toOpenApiPath(file), methods: findExportedMethods(readFileSync(file, "utf8")) }));

describe("the OpenAPI document", () => {
  it("finds the route handlers it checks (the walk itself works)", () => {
    expect(routes.find((r) => r.path === "/api/v1/virtual-macs")?.methods).toEqual(["GET", "POST"]);
    expect(routes.find((r) => r.path === "/api/switches/{id}/backups/{backupId}")?.methods).toEqual(["GET"]);
    expect(routes.every((r) => r.methods.length > 0)).toBe(true);
  });

  it("documents every door and every method it answers", () => {
    const paths = openApiDocument.paths as Record<string, Record<string, unknown>>;
    const missing = routes
      .filter((r) => !BROWSER_PROTOCOLS.has(r.path))
      .flatMap((r) => r.methods.filter((m) => !paths[r.path]?.[m.toLowerCase()]).map((m) => `${m} ${r.path} (${r.file})`));
    expect(missing).toEqual([]);
  });

  it("documents no door that does not exist", () => {
    const served = new Set(routes.map((r) => r.path));
    expect(Object.keys(openApiDocument.paths).filter((p) => !served.has(p))).toEqual([]);
  });

  it("gives every operation its auth and error answers", () => {
    for (const [p, ops] of Object.entries(openApiDocument.paths as unknown as Record<string, Record<string, { security?: unknown[]; responses: object }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.security, `${method} ${p} says who may call it`).toBeDefined();
        const codes = Object.keys(op.responses);
        // A refused caller: 401/403, or 400 for Stripe's signature (its docs answer a bad signature with 400).
        const isRefusalDocumented = codes.some((c) => ["400", "401", "403"].includes(c));
        if ((op.security ?? []).length > 0) expect(isRefusalDocumented, `${method} ${p} documents its refusal`).toBe(true);
      }
    }
  });

  it("takes request bodies from the doors' own zod schemas", () => {
    const schemas = openApiDocument.components.schemas as unknown as Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
    expect(schemas.PortSecurityEvent!.required).toEqual(["action", "serverId"]);
    expect(schemas.PortSecurityEvent!.properties!.action).toMatchObject({ enum: ["ip_assigned", "ip_removed", "server_deleted"] });
  });
});
