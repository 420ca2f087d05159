import { parseTrustedProxies } from "@/lib/auth/client-address";
import { DEFAULT_MFA_AMR_VALUES } from "@/lib/auth/mfa";
import { parseGroupPaths } from "@/lib/auth/roles";
import { z } from "zod";

// The one place that reads process.env. Everything else imports `env`.
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

function isTrustedProxiesList(text: string): boolean {
  try {
    parseTrustedProxies(text);
    return true;
  } catch {
    return false;
  }
}

const booleanish = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default("0.0.0.0"),
    DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }).optional()),
    DATA_DIR: z.string().default(".data"),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    NEXTAUTH_URL: optionalString.pipe(z.url().optional()),
    NEXTAUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    ADMIN_EMAIL: z.email().default("admin@localhost"),
    ADMIN_PASSWORD: optionalString.pipe(z.string().min(12, "must be at least 12 characters").optional()),
    OIDC_ISSUER: optionalString.pipe(z.url().optional()),
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_NAME: z.string().default("Keycloak"),
    // Which Keycloak group paths grant which role (exact paths); default /sankofa-it-admin, /sankofa-it-viewer, /sankofa-finance.
    OIDC_GROUP_PATHS: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        try {
          parseGroupPaths(v);
        } catch (e) {
          ctx.addIssue({ code: "custom", message: (e as Error).message });
        }
      }),
    // "MFA required for IT group": admin access through OIDC needs a second factor in the ID token's
    // amr (any of OIDC_MFA_AMR_VALUES) or acr (any of OIDC_MFA_ACR_VALUES); "off" for a realm that
    // enforces it before issuing tokens at all.
    OIDC_ADMIN_MFA: z.enum(["required", "off"]).default("required"),
    OIDC_MFA_AMR_VALUES: z.string().default(DEFAULT_MFA_AMR_VALUES.join(",")),
    OIDC_MFA_ACR_VALUES: z.string().default(""),
    TENANTOS_URL: optionalString.pipe(z.url().optional()),
    TENANTOS_API_KEY: optionalString,
    PROXMOX_URL: optionalString.pipe(z.url().optional()),
    /** `USER@REALM!TOKENID` */
    PROXMOX_TOKEN_ID: optionalString,
    PROXMOX_TOKEN_SECRET: optionalString,
    /** SHA-256 of Proxmox's certificate (`AB:CD:…`), for a self-signed one. */
    PROXMOX_TLS_FINGERPRINT: optionalString,
    /** Where the declared inventory lives on this host (e.g. a checkout of the ops repo), for "import from files". */
    DECLARED_IP_ADDRESSES_CONF_PATH: optionalString,
    DECLARED_VMID_DOC_PATH: optionalString,
    /** The demo lab: auto = in `npm run dev` when no Tenantos is configured; on/off force it. */
    DEMO_LAB: z.enum(["auto", "on", "off"], { error: "must be auto, on or off" }).default("auto"),
    /** First of four loopback ports the demo lab listens on (Tenantos, Proxmox, two switches). */
    DEMO_LAB_PORT: z.coerce.number().int().min(1024).max(65532).default(3941),
    UNTAGGED_VLAN_ID: z.coerce.number().int().min(1).max(4094).default(11),
    WORKER_IN_PROCESS: booleanish.default(true),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    // A worker that has not renewed its liveness for this long is dead: its jobs (and its switch's queue) are freed.
    WORKER_DEAD_AFTER_SECONDS: z.coerce.number().int().min(4).max(3600).default(60),
    METRICS_BEARER_TOKEN: optionalString,
    /** Tenantos's listener sends it; unset, the event door answers 503. */
    PORT_SECURITY_EVENT_API_BEARER_TOKEN: optionalString.pipe(z.string().min(24, "must be at least 24 characters").optional()),
    /** Stripe's webhook signing secret (`whsec_…`); unset, `POST /api/billing/stripe` answers 503. */
    STRIPE_WEBHOOK_SECRET: optionalString.pipe(z.string().startsWith("whsec_", "must start with whsec_").optional()),
    /** A restricted Stripe key that may read events, for "re-sync from Stripe". */
    STRIPE_SECRET_KEY: optionalString.pipe(
      z
        .string()
        .regex(/^(sk|rk)_/, "must start with sk_ or rk_")
        .optional(),
    ),
    /** Stripe's API base; only set for the lab or a proxy (default https://api.stripe.com). */
    STRIPE_API_URL: optionalString.pipe(z.url().optional()),
    /** 32 bytes, base64: seals switch credentials and backups at rest. */
    SECRETS_KEY: optionalString.pipe(z.base64({ error: "must be base64" }).optional()),
    /** Tests only: a Postgres server to create per-file test databases on, instead of an embedded one. */
    TEST_DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }).optional()),
    /**
     * Reverse proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For / X-Real-IP are
     * believed. Default none: the client is the socket's peer, and forwarding headers are ignored.
     */
    TRUSTED_PROXIES: z
      .string()
      .default("")
      .refine((v) => isTrustedProxiesList(v), { message: "must be IP addresses or CIDR ranges, comma-separated" }),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((v, ctx) => {
    if (Boolean(v.TENANTOS_URL) !== Boolean(v.TENANTOS_API_KEY)) {
      ctx.addIssue({ code: "custom", path: ["TENANTOS_URL"], message: "TENANTOS_URL and TENANTOS_API_KEY must be set together" });
    }
    const pve = [v.PROXMOX_URL, v.PROXMOX_TOKEN_ID, v.PROXMOX_TOKEN_SECRET];
    if (pve.some(Boolean) && !pve.every(Boolean)) {
      ctx.addIssue({ code: "custom", path: ["PROXMOX_URL"], message: "PROXMOX_URL, PROXMOX_TOKEN_ID and PROXMOX_TOKEN_SECRET must be set together" });
    }
    const oidc = [v.OIDC_ISSUER, v.OIDC_CLIENT_ID, v.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ISSUER"],
        message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** One line naming every bad variable, for start-up errors. */
export function formatEnvError(error: z.ZodError): string {
  const parts = error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`);
  return `invalid environment: ${parts.join("; ")} (see .env.example)`;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) throw new Error(formatEnvError(result.error));
  return result.data;
}

let cached: Env | undefined;
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The database URL the app uses; the launcher sets DATABASE_URL when it runs an embedded server. */
export function requireDatabaseUrl(): string {
  const url = getEnv().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm run dev` or `npm start`");
  return url;
}
