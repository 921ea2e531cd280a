// HTTP authentication as IP cameras ask for it: Digest (RFC 7616: MD5 and SHA-256, with or without
// -sess, qop=auth) and Basic (RFC 7617). Pure: the challenge in, the Authorization header out.
import { createHash, randomBytes } from 'node:crypto';

export type Challenge = { scheme: string; params: Record<string, string> };
export type Credentials = {
  username: string;
  password: string;
  /** The camera may be sent Basic (the password readable) over plain http or rtsp: set by a cadre, for old cameras. */
  allowBasicOverHttp?: boolean;
};

/**
 * Every challenge of a response's WWW-Authenticate headers. One header may carry several
 * (`Digest realm="a", nonce="b", Basic realm="c"`): a token not followed by `=` starts the next.
 */
export function parseChallenges(headers: readonly string[]): Challenge[] {
  const challenges: Challenge[] = [];
  for (const header of headers) {
    let rest = header.trim();
    let current: Challenge | undefined;
    while (rest.length > 0) {
      const param = /^([A-Za-z0-9_-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^,\s]*)\s*,?\s*/.exec(rest);
      if (param && current) {
        const value = param[3] !== undefined ? param[3].replace(/\\(.)/g, '$1') : (param[2] ?? '');
        current.params[(param[1] as string).toLowerCase()] = value;
        rest = rest.slice(param[0].length);
        continue;
      }
      const scheme = /^([A-Za-z0-9_-]+)\s*,?\s*/.exec(rest);
      if (!scheme) break;
      current = { scheme: (scheme[1] as string).toLowerCase(), params: {} };
      challenges.push(current);
      rest = rest.slice(scheme[0].length);
    }
  }
  return challenges;
}

const HASHES: Record<string, 'md5' | 'sha256'> = { md5: 'md5', 'md5-sess': 'md5', 'sha-256': 'sha256', 'sha-256-sess': 'sha256' };

export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
}

/** Undefined when the challenge asks for what we do not do (auth-int only, an unknown algorithm). */
export function digestAuthorization(
  challenge: Challenge,
  credentials: Credentials,
  request: { method: string; uri: string },
  fixed: { cnonce?: string; nc?: number } = {},
): string | undefined {
  const { realm = '', nonce, opaque } = challenge.params;
  if (nonce === undefined) return undefined;
  const algorithm = challenge.params.algorithm ?? 'MD5';
  const hashName = HASHES[algorithm.toLowerCase()];
  if (!hashName) return undefined;
  const hash = (text: string) => createHash(hashName).update(text, 'utf8').digest('hex');
  const offered = challenge.params.qop?.split(',').map((q) => q.trim().toLowerCase());
  if (offered && !offered.includes('auth')) return undefined;
  const cnonce = fixed.cnonce ?? randomBytes(16).toString('hex');
  const nc = (fixed.nc ?? 1).toString(16).padStart(8, '0');
  let ha1 = hash(`${credentials.username}:${realm}:${credentials.password}`);
  if (algorithm.toLowerCase().endsWith('-sess')) ha1 = hash(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = hash(`${request.method}:${request.uri}`);
  const response = offered ? hash(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`) : hash(`${ha1}:${nonce}:${ha2}`);
  const quote = (value: string) => `"${value.replace(/(["\\])/g, '\\$1')}"`;
  const parts = [
    `username=${quote(credentials.username)}`,
    `realm=${quote(realm)}`,
    `nonce=${quote(nonce)}`,
    `uri=${quote(request.uri)}`,
    `algorithm=${algorithm}`,
    `response=${quote(response)}`,
  ];
  if (offered) parts.push('qop=auth', `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  if (opaque !== undefined) parts.push(`opaque=${quote(opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

/** The answer to a 401: Digest when offered (the strongest algorithm first), else Basic, else none. */
export function authorizationFor(
  challenges: Challenge[],
  credentials: Credentials,
  request: { method: string; uri: string },
): string | undefined {
  const digests = challenges.filter((c) => c.scheme === 'digest');
  const ranked = [...digests].sort((a, b) => strength(b) - strength(a));
  for (const challenge of ranked) {
    const header = digestAuthorization(challenge, credentials, request);
    if (header) return header;
  }
  if (challenges.some((c) => c.scheme === 'basic')) return basicAuthorization(credentials);
  return undefined;
}

const strength = (c: Challenge) => (c.params.algorithm?.toLowerCase().startsWith('sha-256') ? 1 : 0);
