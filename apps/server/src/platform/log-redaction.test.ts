import { describe, expect, it } from 'vitest';
import { redactUrl } from './log-redaction.ts';

describe('log redaction', () => {
  it('masks ID numbers, phones and names in query strings and keeps the rest', () => {
    const logged = redactUrl('/api/org/people?idNumber=500242193908150017&phone=13800000001&regionId=abc&limit=20');
    expect(logged).not.toContain('500242193908150017');
    expect(logged).not.toContain('13800000001');
    expect(logged).toContain('regionId=abc');
    expect(logged).toContain('limit=20');
    expect(redactUrl('/healthz')).toBe('/healthz');
  });
});
