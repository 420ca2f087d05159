import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { apiKeys, type ApiKeyRow } from "@/drizzle/schema";
import { API_SCOPES, parseApiKeyPrefix, type ApiScope } from "@/lib/auth/api-scopes";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db/client";
import { writeAudit, type Actor } from "./audit";

export type ApiKeyView = Omit<ApiKeyRow, "secretSha256">;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const view = ({ secretSha256: _hash, ...rest }: ApiKeyRow): ApiKeyView => rest;

export async function listApiKeys(db: DbOrTx): Promise<ApiKeyView[]> {
  return (await db.select().from(apiKeys).orderBy(desc(apiKeys.id))).map(view);
}

/** A new key; its secret is returned this once and only its SHA-256 is stored. */
export async function createApiKey(db: DbOrTx, actor: Actor, input: { name: string; scopes: string[] }): Promise<{ key: ApiKeyView; secret: string }> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new AppError("BAD_REQUEST", "Name: give 1 to 100 characters", { field: "name" });
  const unknown = input.scopes.find((s) => !(API_SCOPES as readonly string[]).includes(s));
  if (unknown !== undefined) throw new AppError("BAD_REQUEST", `Scopes: "${unknown}" is not one of ${API_SCOPES.join(", ")}`, { field: "scopes" });
  if (input.scopes.length === 0) throw new AppError("BAD_REQUEST", "Scopes: choose at least one", { field: "scopes" });
  const prefix = `skit_${randomBytes(4).toString("hex")}`;
  const secret = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ name, prefix, secretSha256: sha256(secret), scopes: [...new Set(input.scopes)], createdBy: actor.id })
      .returning();
    await writeAudit(tx, actor, { action: "api_key.create", entityType: "api_key", entityId: String(row!.id), after: { name, prefix, scopes: row!.scopes } });
    return { key: view(row!), secret };
  });
}

export async function revokeApiKey(db: DbOrTx, actor: Actor, id: number): Promise<ApiKeyView> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for("update");
    if (!row) throw new AppError("NOT_FOUND", `API key ${id} does not exist`);
    if (row.revokedAt) throw new AppError("CONFLICT", `API key ${row.prefix} was already revoked`);
    const [revoked] = await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id)).returning();
    await writeAudit(tx, actor, { action: "api_key.revoke", entityType: "api_key", entityId: String(id), before: { name: row.name, prefix: row.prefix } });
    return view(revoked!);
  });
}

export type ApiKeyCheck = { ok: true; key: ApiKeyView } | { ok: false; status: 401 | 403; error: string };

/**
 * `Authorization: Bearer <key>`: unknown, malformed or revoked → 401; a key without the scope →
 * 403. The lookup is by the secret's hash, so nothing compares the secret itself.
 */
export async function checkApiKey(db: Db, authorization: string | null, scope: ApiScope): Promise<ApiKeyCheck> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (!token) return { ok: false, status: 401, error: "missing bearer API key" };
  if (!parseApiKeyPrefix(token)) return { ok: false, status: 401, error: "unknown or revoked API key" };
  const [row] = await db
    .update(apiKeys)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(apiKeys.secretSha256, sha256(token)), isNull(apiKeys.revokedAt)))
    .returning();
  if (!row) return { ok: false, status: 401, error: "unknown or revoked API key" };
  if (!row.scopes.includes(scope)) return { ok: false, status: 403, error: `this API key lacks the ${scope} scope` };
  return { ok: true, key: view(row) };
}
