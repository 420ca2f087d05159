import { customType } from "drizzle-orm/pg-core";

/** Sealed secrets and compressed backups: raw bytes, never text. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
