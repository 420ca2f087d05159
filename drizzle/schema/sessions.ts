import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { bytea } from "./columns";

/**
 * Console sessions kept server-side: the cookie (a next-auth JWT) only names one of these rows, so
 * signing out or an IdP re-check that fails ends the session for every copy of the cookie.
 */
export const consoleSessions = pgTable(
  "console_sessions",
  {
    /** sha256 of the session id carried in the cookie: a database read does not yield a usable cookie. */
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** `oidc` or `credentials` (the bootstrap admin, a break-glass account). */
    provider: text("provider").notNull(),
    roles: text("roles").array().notNull(),
    /** The claim that proved a second factor at sign-in (`amr=otp`), or null. */
    secondFactor: text("second_factor"),
    /** Why the roles are less than the IdP granted (no second factor), shown to the user. */
    notice: text("notice"),
    /** The IdP's refresh token, sealed with SECRETS_KEY; used to re-check the user every few minutes. */
    refreshTokenSealed: bytea("refresh_token_sealed"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Last successful re-check with the IdP (sign-in counts as one). */
    checkedAt: timestamp("checked_at", { withTimezone: true }).notNull().defaultNow(),
    /** One request at a time re-checks: the others go on with the roles already known. */
    checkClaimedUntil: timestamp("check_claimed_until", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("console_sessions_user_idx").on(t.userId, t.createdAt.desc().nullsFirst())],
);

export type ConsoleSession = typeof consoleSessions.$inferSelect;
