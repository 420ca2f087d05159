import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";

/** A generated secret kept in a file readable by its owner only, so it survives restarts. */
export async function readOrCreateSecret(file: string, bytes = 24): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const value = randomBytes(bytes).toString("base64url");
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  return value;
}
