// Every read of people's personal data leaves a trace, whatever the route (attacker, 2026-12-03: a
// security administrator paged through 1,845 people, 651 with phone numbers, and nothing recorded
// it): a person and lists of people, a household and lists of households (from the read cache too),
// a person's consents, a household's points, a case that shows its reporter's name or number. A
// villager's reads of their own household leave none.
import { describe, expect, it } from 'vitest';
import { dialects, useTestApp } from './build-test-app.ts';
import { buildCaseWorld, type CaseWorld } from './case-world.ts';

describe.each(dialects)('reads of personal data (%s)', (dialect) => {
  let world: CaseWorld;
  let personId: string;
  let householdId: string;
  const ctx = useTestApp(dialect, async () => {
    world = await buildCaseWorld(ctx);
    const user = await ctx.deps.db.selectFrom('users').select('person_id').where('id', '=', world.villagerId).executeTakeFirstOrThrow();
    personId = user.person_id as string;
    const person = await ctx.deps.db.selectFrom('people').select('household_id').where('id', '=', personId).executeTakeFirstOrThrow();
    householdId = person.household_id as string;
  });

  const traces = async (actor: string) =>
    (
      await ctx.deps.db
        .selectFrom('audit_log')
        .select(['action', 'target_id', 'details'])
        .where('actor_user_id', '=', actor)
        .where('action', 'in', [
          'person.read',
          'person.list',
          'household.read',
          'household.list',
          'privacy.consents.read',
          'points.account.read',
          'case.read',
        ])
        .orderBy('id')
        .execute()
    ).map((row) => ({ action: row.action, target: row.target_id, details: row.details ? JSON.parse(row.details) : null }));

  it('traces the desk reading a person, a household, their lists, consents, points and a reported case', async () => {
    const reads = [
      `/api/org/people/${personId}`,
      `/api/org/people?householdId=${householdId}`,
      `/api/org/households/${householdId}`,
      '/api/org/households',
      '/api/org/households',
      `/api/privacy/people/${personId}/consents`,
      `/api/points/accounts/${householdId}`,
    ];
    for (const url of reads) expect((await world.cadre.get(url)).statusCode, url).toBe(200);
    const reported = await world.villager.post('/api/cases', {
      source: 'villagerVoice',
      channel: 'app',
      categoryId: world.categories.road,
      regionId: world.tree.groupA1.id,
      title: '村道塌了一块',
      description: '二组路口塌陷',
    });
    expect(reported.statusCode).toBe(201);
    expect((await world.cadre.get(`/api/cases/${reported.json().id}`)).statusCode).toBe(200);

    const seen = await traces(world.cadreId);
    expect(seen.map((t) => t.action)).toEqual([
      'person.read',
      'person.list',
      'household.read',
      'household.list',
      // The second list came from the read cache: traced all the same, with the same count.
      'household.list',
      'privacy.consents.read',
      'points.account.read',
      'case.read',
    ]);
    expect(seen[0]?.target).toBe(personId);
    expect(seen[1]?.details).toEqual({ count: 2, by: ['householdId'] });
    expect(seen[3]?.details?.count).toBeGreaterThan(0);
    expect(seen[4]?.details).toEqual(seen[3]?.details);
    expect(seen[7]?.target).toBe(reported.json().id);
  });

  it('leaves no trace of a villager reading their own household, consents, points and report', async () => {
    for (const url of [
      `/api/org/people/${personId}`,
      `/api/org/households/${householdId}`,
      '/api/org/households',
      `/api/privacy/people/${personId}/consents`,
      `/api/points/accounts/${householdId}`,
    ])
      expect((await world.villager.get(url)).statusCode, url).toBe(200);
    const reported = await world.villager.post('/api/cases', {
      source: 'villagerVoice',
      channel: 'app',
      categoryId: world.categories.road,
      regionId: world.tree.groupA1.id,
      title: '村道塌了一块',
      description: '二组路口塌陷',
    });
    expect((await world.villager.get(`/api/cases/${reported.json().id}`)).statusCode).toBe(200);
    expect(await traces(world.villagerId)).toEqual([]);
  });
});
