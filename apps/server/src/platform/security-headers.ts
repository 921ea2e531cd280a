// The security headers every response carries. Written once at start and copied onto each reply:
// computing them per request (as a general-purpose plugin does) halved the throughput of a bare route.
import type { FastifyInstance } from 'fastify';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "base-uri 'self'",
  "script-src 'self'",
  // Ant Design injects its styles at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'self'",
  "form-action 'self'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

/**
 * The API's answers carry personal data: no browser or proxy keeps them unless a route says
 * otherwise (it sets its own cache-control, which replaces this one). Not the web app's files.
 * FHIR (elders' readings) and Open311 (a keyed client reads what its account may) are APIs too;
 * Open311's unkeyed reads are public, but one rule for the prefix is simpler than telling them apart
 * before the body (which may carry the api_key) is read.
 */
const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({ ...SECURITY_HEADERS, 'cache-control': 'private, no-store' });

const API_PREFIXES = ['/api', '/fhir', '/open311'];

const isApi = (url: string) =>
  API_PREFIXES.some((prefix) => url.startsWith(prefix) && (url.length === prefix.length || '/?'.includes(url[prefix.length] as string)));

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isApi(request.url) ? API_HEADERS : SECURITY_HEADERS);
    done();
  });
}
