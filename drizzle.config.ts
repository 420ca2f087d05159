import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes SQL migrations from drizzle/schema; they are reviewed and committed.
export default defineConfig({
  dialect: "postgresql",
  schema: "./drizzle/schema/index.ts",
  out: "./drizzle/migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/sankofa" },
});
