/** API keys: random, shown once, stored only as their SHA-256 (a leaked database does not leak keys). */
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'hpo_';

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
