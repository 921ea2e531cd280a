import { describe, expect, it } from 'vitest';
import { toXml } from './xml.ts';
import { xmlProblem } from './xml-check.ts';

describe('GeoReport XML', () => {
  // GeoReport v2, "GET Service List" and "GET Service Requests" example responses:
  // <services><service>…, <service_requests><request>…, <errors><error>….
  it('names list items as the specification does, escaping text', () => {
    expect(toXml('services', [{ service_code: 'road', service_name: '道路 & 桥' }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?><services><service><service_code>road</service_code><service_name>道路 &amp; 桥</service_name></service></services>',
    );
    expect(toXml('service_requests', [{ service_request_id: 'a', media_url: null }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?><service_requests><request><service_request_id>a</service_request_id><media_url/></request></service_requests>',
    );
    expect(toXml('errors', [{ code: 400, description: 'a <b>' }])).toContain(
      '<errors><error><code>400</code><description>a &lt;b&gt;</description></error></errors>',
    );
    // GeoReport v2, "GET Service Definition": attributes/attribute and values/value.
    const definition = toXml('service_definition', {
      service_code: 'x',
      attributes: [{ code: 'region', values: [{ key: '1', name: 'n' }] }],
    });
    expect(definition).toContain(
      '<attributes><attribute><code>region</code><values><value><key>1</key><name>n</name></value></values></attribute></attributes>',
    );
    expect(() => toXml('things', [{}])).toThrow();
  });

  it('drops the characters XML 1.0 forbids, even escaped, so old rows cannot break a document', () => {
    const dirty = `bell\u0007 nul\u0000 esc\u001b vt\u000b ff\u000c lone\ud800 nonchar\uffff tab\tline\ncr\r 𠀀 ok`;
    const doc = toXml('service_requests', [{ description: dirty }]);
    expect(xmlProblem(doc)).toBeNull();
    expect(doc).toContain('<description>bell nul esc vt ff lone nonchar tab\tline\ncr\r 𠀀 ok</description>');
  });

  it('has a strict check that refuses what is not well-formed', () => {
    const head = '<?xml version="1.0" encoding="utf-8"?>';
    expect(xmlProblem(`${head}<a><b/>x &amp; y &#x4E2D;</a>`)).toBeNull();
    expect(xmlProblem('<a/>')).not.toBeNull();
    expect(xmlProblem(`${head}<a>\u0001</a>`)).not.toBeNull();
    expect(xmlProblem(`${head}<a>&#1;</a>`)).not.toBeNull();
    expect(xmlProblem(`${head}<a>&#x0;</a>`)).not.toBeNull();
    expect(xmlProblem(`${head}<a>x & y</a>`)).not.toBeNull();
    expect(xmlProblem(`${head}<a><b></a></b>`)).not.toBeNull();
    expect(xmlProblem(`${head}<a></a><a></a>`)).not.toBeNull();
    expect(xmlProblem(`${head}<a>`)).not.toBeNull();
    expect(xmlProblem(`${head}<a x="1"></a>`)).not.toBeNull();
    expect(xmlProblem(`${head}`)).not.toBeNull();
  });
});
