// The Idempotency-Key header as every retried write reads it (context.ts idempotencyKeyOf): a key
// that is blank or carries a control character is refused before anything is written.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../test/build-test-app.ts';
import { buildHousehold, buildTree, buildUser, PASSWORD } from '../../test/factories.ts';

describe.each(dialects)('the Idempotency-Key header on %s', (dialect) => {
  let cadre: Session;
  let householdId: string;
  const ctx = useTestApp(dialect, async () => {
    const tree = await buildTree(ctx.deps);
    cadre = await login(ctx.app, (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone, PASSWORD);
    householdId = (await buildHousehold(ctx.deps, { region: tree.groupA1 })).id;
  });
  const addPerson = (key: string) => cadre.post('/api/org/people', { name: '重试人', householdId }, { 'idempotency-key': key });
  const members = async () => (await cadre.get(`/api/org/people?householdId=${householdId}`)).json().items as { id: string }[];

  it('refuses a key of only spaces, with a tab or another control character, or too long, writing nothing', async () => {
    const before = (await members()).length;
    for (const key of [' ', '    ', 'zq\t1', '\t', 'zq\u0001x', 'zq\u007fx', 'zq\u0085x', 'zq'.repeat(101)]) {
      const refused = await addPerson(key);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({ code: 'validation_failed', details: [{ field: 'headers.idempotency-key' }] });
      expect(refused.body).not.toContain('zq');
    }
    expect(await members()).toHaveLength(before);
  });

  it('keeps a key of visible characters, spaces inside it included, and answers a retry with the first answer', async () => {
    for (const key of ['01a23a9e-332f-7393-ba50-05f26f700a5a', 'outbox item 7', 'k'.repeat(200)]) {
      const first = await addPerson(key);
      expect(first.statusCode).toBe(201);
      expect((await addPerson(key)).json().id).toBe(first.json().id);
    }
    expect(await members()).toHaveLength(3);
  });
});
