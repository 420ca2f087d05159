// What an API key may do. A key holds a list of these; each door names the one it needs.
export const API_SCOPES = ["inventory:read", "inventory:refresh"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_SCOPE_LABELS: Record<ApiScope, string> = {
  "inventory:read": "read the live inventory and drift, search, and addresses' history",
  "inventory:refresh": "queue an inventory collection",
};

/** `skit_<8 hex>_<secret>`: the prefix identifies the key in lists without revealing it. */
const KEY_FORMAT = /^(skit_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

export function parseApiKeyPrefix(token: string): string | undefined {
  return KEY_FORMAT.exec(token)?.[1];
}
