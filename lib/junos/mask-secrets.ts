// Configuration values that are secrets even when Junos shows them "encrypted" ($9$ is reversible).
const SECRET_AFTER =
  /\b(encrypted-password|authentication-key|pre-shared-key|secret|simple-password|community|authentication-password|privacy-password)(\s+)("[^"]*"|\S+)/g;

/** Replaces secret values in configuration text (set or hierarchical form) with `<masked>`. */
export function maskConfigSecrets(text: string): string {
  return text.replace(
    SECRET_AFTER,
    (_m, keyword: string, space: string, value: string) => `${keyword}${space}${value.endsWith(";") ? "<masked>;" : "<masked>"}`,
  );
}
