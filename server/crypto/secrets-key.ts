import { getEnv } from "@/server/env";
import { parseSecretsKey } from "./secret-box";

let cached: Buffer | undefined;

/** The web process's key; the launcher sets SECRETS_KEY (generated into the data dir when unset). */
export function getSecretsKey(): Buffer {
  const raw = getEnv().SECRETS_KEY;
  if (!raw) throw new Error("SECRETS_KEY is not set: start the app with `npm run dev` or `npm start`");
  cached ??= parseSecretsKey(raw);
  return cached;
}
