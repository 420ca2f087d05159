import { eq, sql } from "drizzle-orm";
import { panelConnections, type PanelConnectionRow } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import type { PanelConnectionInput, PanelConnectionKind } from "@/lib/panel/connection";
import { createOutsideSystems, type OutsideSystemsConfig } from "@/server/connectors/outside-systems";
import { createProxmoxClient } from "@/server/connectors/proxmox/client";
import { createTenantosClient } from "@/server/connectors/tenantos/client";
import { createNpmClient, type NpmConfig } from "@/server/connectors/npm/client";
import { createUnifiClient, type UnifiConfig } from "@/server/connectors/unifi/client";
import { seal, unseal } from "@/server/crypto/secret-box";
import type { DbOrTx } from "@/server/db/client";
import type { Env } from "@/server/env";
import { writeAudit, type Actor } from "../platform/audit";
import type { OutsideSystems } from "@/server/connectors/outside-systems";

type EnvPanel = Pick<
  Env,
  "TENANTOS_URL" | "TENANTOS_API_KEY" | "PROXMOX_URL" | "PROXMOX_TOKEN_ID" | "PROXMOX_TOKEN_SECRET" | "PROXMOX_TLS_FINGERPRINT" | "UNTAGGED_VLAN_ID"
>;

export interface PanelConnectionView {
  kind: PanelConnectionKind;
  /** Saved in the console (wins), given by the environment, or absent. */
  source: "console" | "environment" | "none";
  baseUrl: string | null;
  tokenId: string | null;
  tlsFingerprint: string | null;
  hasSecret: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/**
 * The panel configuration in force: a connection saved in the console wins over the environment,
 * so an admin can fix a wrong key without a redeploy. Read per use, so a save takes effect on the
 * next job without restarting the worker.
 */
export async function loadPanelConfig(db: DbOrTx, env: EnvPanel, secretsKey: Buffer): Promise<OutsideSystemsConfig> {
  const rows = new Map((await db.select().from(panelConnections)).map((r) => [r.kind, r]));
  const t = rows.get("tenantos");
  const p = rows.get("proxmox");
  return {
    tenantos: t
      ? { baseUrl: t.baseUrl, apiKey: unseal(t.secretSealed, secretsKey) }
      : env.TENANTOS_URL && env.TENANTOS_API_KEY
        ? { baseUrl: env.TENANTOS_URL, apiKey: env.TENANTOS_API_KEY }
        : undefined,
    proxmox: p
      ? { baseUrl: p.baseUrl, tokenId: p.tokenId ?? "", tokenSecret: unseal(p.secretSealed, secretsKey), fingerprint256: p.tlsFingerprint ?? undefined }
      : env.PROXMOX_URL && env.PROXMOX_TOKEN_ID && env.PROXMOX_TOKEN_SECRET
        ? { baseUrl: env.PROXMOX_URL, tokenId: env.PROXMOX_TOKEN_ID, tokenSecret: env.PROXMOX_TOKEN_SECRET, fingerprint256: env.PROXMOX_TLS_FINGERPRINT }
        : undefined,
    untaggedVlanId: env.UNTAGGED_VLAN_ID,
  };
}

/** The edge systems' connections (console only: they have no environment variables). */
export interface EdgeConfig {
  unifi?: UnifiConfig;
  npm?: NpmConfig;
}

export async function loadEdgeConfig(db: DbOrTx, secretsKey: Buffer): Promise<EdgeConfig> {
  const rows = new Map((await db.select().from(panelConnections)).map((r) => [r.kind, r]));
  const u = rows.get("unifi");
  const n = rows.get("npm");
  const secretOf = (r: PanelConnectionRow) => unseal(r.secretSealed, secretsKey);
  return {
    unifi: u
      ? {
          baseUrl: u.baseUrl,
          ...(u.tokenId ? { username: u.tokenId, password: secretOf(u) } : { apiKey: secretOf(u) }),
          fingerprint256: u.tlsFingerprint ?? undefined,
          credentialVersion: u.version,
        }
      : undefined,
    npm: n
      ? { baseUrl: n.baseUrl, identity: n.tokenId ?? "", secret: secretOf(n), fingerprint256: n.tlsFingerprint ?? undefined, credentialVersion: n.version }
      : undefined,
  };
}

export async function loadOutsideSystems(db: DbOrTx, env: EnvPanel, secretsKey: Buffer): Promise<OutsideSystems | undefined> {
  return createOutsideSystems(await loadPanelConfig(db, env, secretsKey));
}

/** What the settings page shows: never a secret, only whether one is stored. */
export async function listPanelConnections(db: DbOrTx, env: EnvPanel): Promise<PanelConnectionView[]> {
  const rows = new Map((await db.select().from(panelConnections)).map((r) => [r.kind, r]));
  const fromRow = (r: PanelConnectionRow): PanelConnectionView => ({
    kind: r.kind,
    source: "console",
    baseUrl: r.baseUrl,
    tokenId: r.tokenId,
    tlsFingerprint: r.tlsFingerprint,
    hasSecret: true,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
  });
  /** The console's row for `kind`, else what the environment gives (UniFi and NPM: nothing, they are console-only). */
  const storedOrEnvironment = (
    kind: PanelConnectionView["kind"],
    url?: string,
    secret?: string,
    extra: Pick<PanelConnectionView, "tokenId" | "tlsFingerprint"> = { tokenId: null, tlsFingerprint: null },
  ): PanelConnectionView => {
    const r = rows.get(kind);
    if (r) return fromRow(r);
    return { kind, source: url ? "environment" : "none", baseUrl: url ?? null, hasSecret: Boolean(secret), ...extra, updatedAt: null, updatedBy: null };
  };
  return [
    storedOrEnvironment("tenantos", env.TENANTOS_URL, env.TENANTOS_API_KEY),
    storedOrEnvironment("proxmox", env.PROXMOX_URL, env.PROXMOX_TOKEN_SECRET, {
      tokenId: env.PROXMOX_TOKEN_ID ?? null,
      tlsFingerprint: env.PROXMOX_TLS_FINGERPRINT ?? null,
    }),
    storedOrEnvironment("unifi"),
    storedOrEnvironment("npm"),
  ];
}

/** What keeps automation from running at all, for the console's warning; the demo says it is one. */
export async function getAutomationStatus(db: DbOrTx, env: EnvPanel & Pick<Env, "PORT_SECURITY_EVENT_API_BEARER_TOKEN">) {
  const [tenantos, proxmox] = await listPanelConnections(db, env);
  return {
    isDoorOpen: Boolean(env.PORT_SECURITY_EVENT_API_BEARER_TOKEN),
    isTenantosConfigured: tenantos!.source !== "none",
    isProxmoxConfigured: proxmox!.source !== "none",
    isDemo: tenantos!.updatedBy === "system:demo",
  };
}

/** Saves a connection; a blank secret keeps the stored one. The audit row never holds a secret. */
export async function savePanelConnection(db: DbOrTx, secretsKey: Buffer, actor: Actor, input: PanelConnectionInput): Promise<PanelConnectionView> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(panelConnections).where(eq(panelConnections.kind, input.kind)).for("update");
    const secret = input.secret?.trim();
    if (!secret && !current)
      throw new AppError("BAD_REQUEST", `${label(input.kind)}: the ${secretName(input.kind)} is required the first time`, { field: "secret" });
    // A stored secret is only ever sent to the URL it was saved for: a new URL needs it typed again,
    // or "test connection" would hand it to whatever host an admin (or a stolen session) names.
    if (!secret && current && current.baseUrl.replace(/\/+$/, "") !== input.baseUrl.replace(/\/+$/, ""))
      throw new AppError("BAD_REQUEST", `${label(input.kind)}: the URL changed, so the ${secretName(input.kind)} must be entered again`, { field: "secret" });
    // Likewise the TLS pin: it says which server the secret may go to, so a new (or removed) pin needs the secret again.
    if (!secret && current && "tlsFingerprint" in input && !isSamePin(input.tlsFingerprint, current.tlsFingerprint))
      throw new AppError("BAD_REQUEST", `${label(input.kind)}: the TLS pin changed, so the ${secretName(input.kind)} must be entered again`, {
        field: "secret",
      });
    const row = {
      kind: input.kind,
      baseUrl: input.baseUrl,
      tokenId: "tokenId" in input ? input.tokenId || null : null,
      tlsFingerprint: "tlsFingerprint" in input ? input.tlsFingerprint || null : null,
      secretSealed: secret ? seal(secret, secretsKey) : current!.secretSealed,
      // Every save is a new version: each process drops its sessions and tokens of older ones before its next call.
      version: sql<number>`nextval('panel_connection_version_seq')`,
      updatedAt: new Date(),
      updatedBy: actor.id,
    };
    const [saved] = await tx.insert(panelConnections).values(row).onConflictDoUpdate({ target: panelConnections.kind, set: row }).returning();
    const publicPart = (r?: PanelConnectionRow) => r && { baseUrl: r.baseUrl, tokenId: r.tokenId, tlsFingerprint: r.tlsFingerprint };
    await writeAudit(tx, actor, {
      action: "panel_connection.save",
      entityType: "panel_connection",
      entityId: input.kind,
      before: publicPart(current) ?? null,
      after: { ...publicPart(saved), isSecretChanged: Boolean(secret) },
    });
    return (await listPanelConnections(tx, {} as EnvPanel)).find((c) => c.kind === input.kind)!;
  });
}

/** Forgets the console's connection: the environment's (if any) applies again. */
export async function deletePanelConnection(db: DbOrTx, actor: Actor, kind: PanelConnectionKind): Promise<void> {
  await db.transaction(async (tx) => {
    const [gone] = await tx.delete(panelConnections).where(eq(panelConnections.kind, kind)).returning();
    if (!gone) throw new AppError("NOT_FOUND", `${label(kind)}: no connection is saved in the console`);
    await writeAudit(tx, actor, {
      action: "panel_connection.delete",
      entityType: "panel_connection",
      entityId: kind,
      before: { baseUrl: gone.baseUrl, tokenId: gone.tokenId },
    });
  });
}

/**
 * "Test connection": one authenticated call with the values in force (or the form's, with the
 * stored secret when the form leaves it blank). Answers what went wrong in words, never throws.
 */
export async function testPanelConnection(
  db: DbOrTx,
  env: EnvPanel,
  secretsKey: Buffer,
  kind: PanelConnectionKind,
  draft?: PanelConnectionInput,
): Promise<{ isOk: boolean; message: string }> {
  const config = await loadPanelConfig(db, env, secretsKey);
  try {
    if (kind === "tenantos") {
      const saved = config.tenantos;
      // The stored key only goes to the URL it was saved for, never to a newly typed one.
      const target =
        draft?.kind === "tenantos" ? { baseUrl: draft.baseUrl, apiKey: draft.secret || (draft.baseUrl === saved?.baseUrl ? saved.apiKey : undefined) } : saved;
      if (!target?.apiKey) return { isOk: false, message: "Tenantos: give the API key (a stored key is only sent to the URL it was saved for)" };
      await createTenantosClient({ baseUrl: target.baseUrl, apiKey: target.apiKey, retries: 0, timeoutMs: 5_000 }).ping();
      return { isOk: true, message: `Tenantos at ${target.baseUrl} accepted the API key` };
    }
    if (kind === "unifi" || kind === "npm") return await testEdgeConnection(db, secretsKey, kind, draft);
    const saved = config.proxmox;
    const target =
      draft?.kind === "proxmox"
        ? {
            baseUrl: draft.baseUrl,
            tokenId: draft.tokenId,
            tokenSecret:
              draft.secret || (draft.baseUrl === saved?.baseUrl && isSamePin(draft.tlsFingerprint, saved.fingerprint256) ? saved.tokenSecret : undefined),
            fingerprint256: draft.tlsFingerprint || undefined,
          }
        : saved;
    if (!target?.tokenSecret)
      return { isOk: false, message: "Proxmox: give the token secret (a stored secret is only sent to the URL it was saved for, with its TLS pin)" };
    const version = await createProxmoxClient({ ...target, tokenSecret: target.tokenSecret, timeoutMs: 5_000 }).getVersion();
    return { isOk: true, message: `Proxmox VE ${version} at ${target.baseUrl} accepted token ${target.tokenId}` };
  } catch (e) {
    return { isOk: false, message: (e as Error).message };
  }
}

async function testEdgeConnection(
  db: DbOrTx,
  secretsKey: Buffer,
  kind: "unifi" | "npm",
  draft?: PanelConnectionInput,
): Promise<{ isOk: boolean; message: string }> {
  const saved = (await loadEdgeConfig(db, secretsKey))[kind];
  const isSameUrl =
    draft?.baseUrl === saved?.baseUrl && isSamePin(draft && "tlsFingerprint" in draft ? draft.tlsFingerprint : undefined, saved?.fingerprint256);
  const savedSecret = saved && "identity" in saved ? saved.secret : saved ? (saved.apiKey ?? saved.password) : undefined;
  const secret = draft?.kind === kind ? draft.secret || (isSameUrl ? savedSecret : undefined) : savedSecret;
  const fingerprint256 = draft?.kind === kind ? draft.tlsFingerprint || undefined : saved?.fingerprint256;
  if (!secret) return { isOk: false, message: `${label(kind)}: give the ${secretName(kind)} (a stored one is only sent to the URL it was saved for)` };
  if (kind === "unifi") {
    const baseUrl = draft?.kind === "unifi" ? draft.baseUrl : saved!.baseUrl;
    const username = draft?.kind === "unifi" ? draft.tokenId || undefined : (saved as UnifiConfig).username;
    const devices = await createUnifiClient({
      baseUrl,
      ...(username ? { username, password: secret } : { apiKey: secret }),
      fingerprint256,
      timeoutMs: 5_000,
      isFreshLogin: true,
    }).listDevices();
    return { isOk: true, message: `UniFi at ${baseUrl} answered with ${devices.length} device(s)` };
  }
  const baseUrl = draft?.kind === "npm" ? draft.baseUrl : saved!.baseUrl;
  const identity = draft?.kind === "npm" ? draft.tokenId : (saved as NpmConfig).identity;
  const hosts = await createNpmClient({ baseUrl, identity, secret, fingerprint256, timeoutMs: 5_000, isFreshLogin: true }).listProxyHosts();
  return { isOk: true, message: `NPM at ${baseUrl} accepted ${identity} and lists ${hosts.length} proxy host(s)` };
}

/** Two pins name the same certificate (case aside); none and empty are the same. */
function isSamePin(a: string | null | undefined, b: string | null | undefined): boolean {
  return (a || "").trim().toUpperCase() === (b || "").trim().toUpperCase();
}

const LABELS = { tenantos: "Tenantos", proxmox: "Proxmox", unifi: "UniFi", npm: "NPM" } as const;
const SECRET_NAMES = { tenantos: "API key", proxmox: "token secret", unifi: "API key or password", npm: "password" } as const;
const label = (kind: PanelConnectionKind) => LABELS[kind];
const secretName = (kind: PanelConnectionKind) => SECRET_NAMES[kind];
