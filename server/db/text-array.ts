import { sql, type SQL } from "drizzle-orm";

/**
 * A Postgres text[] of the values, each its own parameter (drizzle spreads a JS array into a list,
 * and a literal `'{…}'` would need quoting for any text from outside). Empty: `'{}'::text[]`.
 */
export function textArray(values: readonly string[]): SQL {
  return values.length
    ? sql`array[${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )}]::text[]`
    : sql`'{}'::text[]`;
}
