import { createHash } from 'node:crypto';

/**
 * How secret tokens (sessions, login challenges, API keys, device tokens) are kept: only their
 * SHA-256, so a copy of the database opens nothing. Tokens are random, so no salt is needed.
 */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
