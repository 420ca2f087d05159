import { createHash, randomBytes } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { apiKeys, type ApiKeyRow } from "@/drizzle/schema";
import { API_SCOPES, parseApiKeyPrefix, type ApiScope } from "@/lib/auth/api-scopes";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db/client";
import { writeAudit, type Actor } from "./audit";

export type ApiKeyView = Omit<ApiKeyRow, "secretSha256">;

const LAST_USED_RESOLUTION = sql`interval '1 minute'`;

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
  // One read; `last_used_at` is written at most once a minute (the settings page shows it to the
  // minute), so a script's burst of reads is not a burst of commits each waiting on the WAL.
  const [row] = await db.execute<{
    id: number;
    name: string;
    prefix: string;
    scopes: string[];
    created_by: string;
    created_at: string;
    revoked_at: null;
    last_used_at: string | null;
  }>(sql`
    with k as (select * from api_keys where secret_sha256 = ${sha256(token)} and revoked_at is null),
    touched as (
      update api_keys a set last_used_at = now() from k
      where a.id = k.id and (k.last_used_at is null or k.last_used_at < now() - ${LAST_USED_RESOLUTION})
    )
    select id, name, prefix, scopes, created_by, created_at, revoked_at, last_used_at from k`);
  if (!row) return { ok: false, status: 401, error: "unknown or revoked API key" };
  if (!row.scopes.includes(scope)) return { ok: false, status: 403, error: `this API key lacks the ${scope} scope` };
  const key: ApiKeyView = {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    revokedAt: null,
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
  };
  return { ok: true, key };
}
