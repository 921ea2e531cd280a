import { describe, expect, it } from 'vitest';
import { toXml } from './xml.ts';

describe('GeoReport XML', () => {
  it('writes lists of records under a plural root, escaping text', () => {
    expect(toXml('services', [{ service_code: 'road', service_name: '道路 & 桥' }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?><services><service><service_code>road</service_code><service_name>道路 &amp; 桥</service_name></service></services>',
    );
    expect(toXml('errors', [{ code: 400, description: 'a <b>' }])).toContain(
      '<error><code>400</code><description>a &lt;b&gt;</description></error>',
    );
    expect(toXml('service_requests', [{ media_url: null }])).toContain('<service_request><media_url/></service_request>');
  });
});
