import { describe, expect, it } from 'vitest';
import { apiKeyOf, Open311Error, parseForm, parseW3cDateTime, RANGE_MS, readRequestQuery, readServiceRequest } from './open311.input.ts';

const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof Open311Error) return error.problems;
    throw error;
  }
  return [];
};

describe('Open311 input', () => {
  it('parses a form into fields without a prototype, a repeated name into a list', () => {
    const fields = parseForm('__proto__=x&constructor=y&a=1&a=2&a=3&b=%E8%B7%AF+%E7%81%AF');
    expect(Object.getPrototypeOf(fields)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toBe('x');
    expect(fields.a).toEqual(['1', '2', '3']);
    expect(fields.b).toBe('路 灯');
  });

  it('reads an api_key, empty as none (Definitions, "Optional Arguments") and a malformed one as wrong (Errors: 403)', () => {
    expect(apiKeyOf({ api_key: '' })).toBeUndefined();
    expect(apiKeyOf({})).toBeUndefined();
    expect(apiKeyOf({ api_key: 'demo-open311-key' })).toBe('demo-open311-key');
    for (const api_key of [['a', 'b'], 'a b', 'k'.repeat(201), 'ключ']) {
      expect(() => apiKeyOf({ api_key })).toThrow(expect.objectContaining({ status: 403 }));
    }
  });

  // Internationalization and Encoding, "Date/time format": w3 note subset, time zone required.
  it('parses w3 date-times with their time zone and refuses the rest', () => {
    expect(parseW3cDateTime('2010-01-01T00:00:00Z')).toBe(Date.UTC(2010, 0, 1));
    expect(parseW3cDateTime('1994-11-05T08:15:30-05:00')).toBe(Date.parse('1994-11-05T13:15:30Z'));
    expect(parseW3cDateTime('2026-12-01T08:00+08:00')).toBe(Date.UTC(2026, 11, 1));
    expect(parseW3cDateTime('2026-12-01T00:00:00.250Z')).toBe(Date.UTC(2026, 11, 1) + 250);
    for (const text of [
      '2026-12-01',
      '2026-12-01T00:00:00',
      '2026-02-29T00:00:00Z',
      '2026-12-01T24:00:00Z',
      '2026-12-01T00:60:00Z',
      '2026-12-01T00:00:00+15:00',
      'now',
      '',
    ]) {
      expect(parseW3cDateTime(text), text).toBeUndefined();
    }
    expect(parseW3cDateTime('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  // POST Service Request, "Required Arguments" and "Optional Arguments".
  it('reads a service request: location, region, name and phone, the description cleaned', () => {
    const input = readServiceRequest({
      service_code: 'road',
      lat: '-28.5',
      long: '108.125',
      address_id: '500242105201001',
      last_name: 'Smith',
      first_name: 'John',
      phone: '+86 139-1234-5678',
      description: '  路\u0085灯\u200b坏了\r\n第二行\u0000 \ud800 😀  ',
    });
    expect(input).toEqual({
      serviceCode: 'road',
      regionCode: '500242105201001',
      latitude: -28.5,
      longitude: 108.125,
      addressString: undefined,
      description: '路灯\u200b坏了\n第二行  😀',
      reporterName: 'Smith John',
      reporterPhone: '+86 139-1234-5678',
    });
    expect(
      readServiceRequest({ service_code: 'road', address_id: '500242105201', last_name: '欧阳', first_name: '娜娜' }).reporterName,
    ).toBe('欧阳娜娜');
  });

  it('collects every problem of a service request in one list', () => {
    expect(problemsOf(() => readServiceRequest({ long: '108', first_name: 'A\u0085B', 'attribute[x][]': '1' }))).toEqual([
      'first_name holds control characters',
      'service_code is required',
      'lat and long must be sent together',
      'A location is required: lat and long, address_string or address_id',
      'attribute[region] is required (the service definition lists the codes), or give the code as address_id',
      'Only attribute[region] is defined for this service',
    ]);
    expect(problemsOf(() => readServiceRequest({ service_code: 'road', address_id: '500242105201', description: '\u0001\u0002' }))).toEqual(
      [],
    );
    expect(
      problemsOf(() => readServiceRequest({ service_code: 'road', address_id: '500242105201', lat: '1', long: ['2', '3'] })),
    ).toContain('long may be given only once');
  });

  // GET Service Requests: start_date and end_date span at most 90 days, by default the most recent 90.
  it('reads the GET Service Requests parameters with the 90-day range', () => {
    const now = Date.UTC(2026, 11, 1);
    expect(readRequestQuery({}, now)).toEqual({ serviceCodes: undefined, fromMs: now - RANGE_MS, toMs: undefined, closed: undefined });
    const start = Date.UTC(2026, 0, 1);
    expect(readRequestQuery({ start_date: '2026-01-01T00:00:00Z' }, now)).toMatchObject({ fromMs: start, toMs: start + RANGE_MS + 1 });
    expect(readRequestQuery({ end_date: '2026-01-01T00:00:00Z' }, now)).toMatchObject({ fromMs: start - RANGE_MS, toMs: start + 1 });
    expect(readRequestQuery({ status: ['closed', 'closed'], service_code: 'road,traffic' }, now)).toMatchObject({
      closed: true,
      serviceCodes: ['road', 'traffic'],
    });
    const id = '01936f4e-0000-7000-8000-000000000000';
    expect(readRequestQuery({ service_request_id: id, status: 'nonsense' }, now)).toEqual({ ids: [id] });
    expect(problemsOf(() => readRequestQuery({ start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-02T00:00:01Z' }, now))).toEqual([
      'start_date and end_date may not span more than 90 days',
    ]);
  });
});
