// Short-lived TURN credentials in the TURN REST API scheme that coturn checks with use-auth-secret
// (draft-uberti-behave-turn-rest): the username is "<expiry in Unix seconds>:<who>", the password
// base64(HMAC-SHA1(static-auth-secret, username)). coturn refuses them once the expiry has passed,
// so a leaked pair is worth little; the platform never stores them.
import { createHmac } from 'node:crypto';

/** Long enough for a call's allocation to be refreshed throughout; short enough to be worth little when leaked. */
export const TURN_CREDENTIAL_SECONDS = 2 * 60 * 60;

export type IceServer = { urls: string[]; username?: string; credential?: string };

export function turnCredentials(secret: string, who: string, nowMs: number, seconds = TURN_CREDENTIAL_SECONDS) {
  const expiresAt = Math.floor(nowMs / 1000) + seconds;
  const username = `${expiresAt}:${who}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt: expiresAt * 1000 };
}

/** The ICE servers a browser is given: STUN, and TURN with credentials of its own when the county runs coturn. */
export function iceServers(
  config: { stunUrls: readonly string[]; turnUrls: readonly string[]; turnSecret: string | undefined },
  who: string,
  nowMs: number,
): { iceServers: IceServer[]; expiresAt: number | null } {
  const servers: IceServer[] = [];
  if (config.stunUrls.length > 0) servers.push({ urls: [...config.stunUrls] });
  if (config.turnUrls.length === 0 || !config.turnSecret) return { iceServers: servers, expiresAt: null };
  const { username, credential, expiresAt } = turnCredentials(config.turnSecret, who, nowMs);
  servers.push({ urls: [...config.turnUrls], username, credential });
  return { iceServers: servers, expiresAt };
}
