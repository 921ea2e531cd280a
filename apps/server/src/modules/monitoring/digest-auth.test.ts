// Digest and Basic as RFC 7616 and 7617 define them, checked against the RFC's own examples, and
// the WWW-Authenticate parsing cameras' odd headers need.
import { describe, expect, it } from 'vitest';
import { authorizationFor, basicAuthorization, digestAuthorization, parseChallenges } from './digest-auth.ts';
import { elementText, envelope, passwordDigest } from './onvif.ts';

// RFC 7616 section 3.9.1
const RFC = {
  credentials: { username: 'Mufasa', password: 'Circle of Life' },
  request: { method: 'GET', uri: '/dir/index.html' },
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  header: (algorithm: string) =>
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
};

const responseOf = (header: string | undefined) => /response="([0-9a-f]+)"/.exec(header ?? '')?.[1];

describe('Digest authentication (RFC 7616)', () => {
  it('answers the RFC example with MD5 and with SHA-256', () => {
    for (const [algorithm, expected] of [
      ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
      ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
    ] as const) {
      const [challenge] = parseChallenges([RFC.header(algorithm)]);
      const header = digestAuthorization(challenge as never, RFC.credentials, RFC.request, { cnonce: RFC.cnonce, nc: 1 });
      expect(responseOf(header)).toBe(expected);
      expect(header).toContain('qop=auth, nc=00000001');
      expect(header).toContain('opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"');
    }
  });

  it('reads several challenges in one header or in several, and prefers SHA-256, then MD5, then Basic', () => {
    const challenges = parseChallenges([`${RFC.header('MD5')}, Basic realm="cam"`, RFC.header('SHA-256')]);
    expect(challenges.map((c) => `${c.scheme}:${c.params.algorithm ?? ''}`)).toEqual(['digest:MD5', 'basic:', 'digest:SHA-256']);
    expect(authorizationFor(challenges, RFC.credentials, RFC.request)).toMatch(/^Digest .*algorithm=SHA-256/);
    expect(authorizationFor(parseChallenges(['Basic realm="x"']), RFC.credentials, RFC.request)).toBe(basicAuthorization(RFC.credentials));
    expect(basicAuthorization({ username: 'Aladdin', password: 'open sesame' })).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it('declines what it does not do: auth-int only, unknown algorithms, no nonce', () => {
    const only = parseChallenges(['Digest realm="r", nonce="n", qop="auth-int"'])[0];
    expect(digestAuthorization(only as never, RFC.credentials, RFC.request)).toBeUndefined();
    const odd = parseChallenges(['Digest realm="r", nonce="n", algorithm=SHA-512-256'])[0];
    expect(digestAuthorization(odd as never, RFC.credentials, RFC.request)).toBeUndefined();
    expect(authorizationFor(parseChallenges(['Digest realm="r"']), RFC.credentials, RFC.request)).toBeUndefined();
  });

  it('answers an old camera without qop (RFC 2069 form) and keeps escaped quotes', () => {
    const [challenge] = parseChallenges(['Digest realm="a \\"quoted\\" realm", nonce="abc"']);
    expect(challenge?.params.realm).toBe('a "quoted" realm');
    const header = digestAuthorization(challenge as never, RFC.credentials, RFC.request);
    expect(header).not.toContain('qop=');
    expect(header).toContain('realm="a \\"quoted\\" realm"');
  });
});

describe('ONVIF WS-Security', () => {
  it('digests the password as Base64(SHA-1(nonce + created + password)) and never sends it plain', () => {
    // The ONVIF Core specification's example (5.12.2): nonce LKqI6G/AikKCQrN0zqZFlg==, created 2010-09-16T07:50:45Z, password userpassword.
    expect(passwordDigest(Buffer.from('LKqI6G/AikKCQrN0zqZFlg==', 'base64'), '2010-09-16T07:50:45Z', 'userpassword')).toBe(
      'tuOSpGlFlIXsozq4HFNeeGeFLEI=',
    );
    const xml = envelope('<x/>', { username: 'a&b', password: 'secret-pw' }, '2026-12-02T00:00:00Z', Buffer.alloc(16));
    expect(xml).toContain('<wsse:Username>a&amp;b</wsse:Username>');
    expect(xml).not.toContain('secret-pw');
    expect(elementText('<tt:Media><tt:XAddr>http://h/onvif?a=1&amp;b=2</tt:XAddr></tt:Media>', 'XAddr')).toBe('http://h/onvif?a=1&b=2');
  });
});
