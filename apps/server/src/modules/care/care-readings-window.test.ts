// An elder's readings list holds at most READINGS_AT_MOST readings: the newest of the window, oldest
// first. A device that sends often must never push the latest readings (what the family's card and
// its 偏高 word show) out of the list (attacker's finding: the oldest 5,000 of a day were kept).
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildPerson, buildTree, buildUser, PASSWORD } from '../../../test/factories.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { insertReadings, READINGS_AT_MOST } from './care-ingest.repository.ts';

describe.each(dialects)("an elder's readings list on %s", (dialect) => {
  let doctor: Session;
  let elderId: string;
  let deviceId: string;
  const ctx = useTestApp(dialect, async () => {
    const tree = await buildTree(ctx.deps);
    doctor = await login(ctx.app, (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipA })).phone, PASSWORD);
    elderId = (await buildPerson(ctx.deps, { region: tree.groupA1 })).id;
    await doctor.post('/api/care/elders', { personId: elderId, livingSituation: '独居', conditions: [], contacts: [] });
    expect((await doctor.post(`/api/care/elders/${elderId}/devices`, { serial: 'WIN-BR-1', kind: 'bracelet' })).statusCode).toBe(201);
    deviceId = (await ctx.deps.db.selectFrom('care_devices').select('id').where('serial', '=', 'WIN-BR-1').executeTakeFirstOrThrow()).id;
  });

  it('keeps the newest readings of the window when there are more than it holds, oldest first', async () => {
    const now = ctx.clock.now;
    const count = READINGS_AT_MOST + 250;
    // A heart rate every 10 s for the last ~14.5 hours, the newest a high one.
    const rows = Array.from({ length: count }, (_, i) => ({
      id: uuidv7(now),
      deviceId,
      readingKey: `w${i}`,
      elderPersonId: elderId,
      kind: 'heartRate',
      value1: i === count - 1 ? 150 : 70,
      value2: null,
      at: now - (count - i) * 10_000,
    }));
    await insertReadings(ctx.deps.db, rows, now);
    const since = new Date(now - 24 * 3_600_000).toISOString();
    const answer = await doctor.get(`/api/care/elders/${elderId}/readings?since=${encodeURIComponent(since)}`);
    expect(answer.statusCode).toBe(200);
    const items = answer.json().items as { at: string; value: number; flag: string | null }[];
    expect(items).toHaveLength(READINGS_AT_MOST);
    const times = items.map((item) => Date.parse(item.at));
    expect(items.at(-1)).toMatchObject({ value: 150, flag: 'high' });
    expect(times.at(-1)).toBe((rows.at(-1) as { at: number }).at);
    expect(times[0]).toBe((rows[250] as { at: number }).at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
