import { randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/**
 * The bootstrap admin from ADMIN_EMAIL / ADMIN_PASSWORD. The password is hashed once at start and
 * every attempt is hashed the same way and compared in constant time, so timing says nothing. The
 * attempt's hashing runs on libuv's thread pool: a flood of wrong passwords must not stall the
 * event loop that serves the console.
 */
export function createBootstrapAdmin(email: string, password: string) {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32);
  const emailHash = scryptSync(email.toLowerCase(), salt, 32);
  return {
    email,
    isAccount(candidateEmail: string): boolean {
      return candidateEmail.trim().toLowerCase() === email.toLowerCase();
    },
    async verify(candidateEmail: string, candidatePassword: string): Promise<boolean> {
      const [pw, em] = await Promise.all([scryptAsync(candidatePassword, salt, 32), scryptAsync(candidateEmail.trim().toLowerCase(), salt, 32)]);
      // Both comparisons always run: no early exit on a wrong email.
      const okPassword = timingSafeEqual(pw, hash);
      const okEmail = timingSafeEqual(em, emailHash);
      return okPassword && okEmail;
    },
  };
}
