import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

/**
 * The bootstrap admin from ADMIN_EMAIL / ADMIN_PASSWORD. The password is hashed once at start and
 * every attempt is hashed the same way and compared in constant time, so timing says nothing.
 */
export function createBootstrapAdmin(email: string, password: string) {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32);
  const emailHash = scryptSync(email.toLowerCase(), salt, 32);
  return {
    email,
    verify(candidateEmail: string, candidatePassword: string): boolean {
      const pw = scryptSync(candidatePassword, salt, 32);
      const em = scryptSync(candidateEmail.trim().toLowerCase(), salt, 32);
      // Both comparisons always run: no early exit on a wrong email.
      const okPassword = timingSafeEqual(pw, hash);
      const okEmail = timingSafeEqual(em, emailHash);
      return okPassword && okEmail;
    },
  };
}
