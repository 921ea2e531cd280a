// Questions and figures on each database: a household asks with a photo, the township's extension
// worker answers and both see the thread; a question unanswered a working day later is flagged;
// another township's worker and another household are refused. The wall screen's figures follow
// the data (farms, area, heads, sales by month, advice, questions) and the XLSX opens.
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { readXlsx } from '../../platform/xlsx.ts';

const SLOW = 120_000;
const HOUR = 3_600_000;

async function jpeg(): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#853' } })
    .jpeg()
    .toBuffer();
}

describe.each(dialects)('farm questions and figures on %s', (dialect) => {
  let tree: Tree;
  let household = '';
  const phones = { member: '', neighbour: '', worker: '', workerB: '', cadre: '', township: '', county: '' };
  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    household = (await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '冉鲜荣' })).id;
    const member = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: household });
    phones.member = (await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1, personId: member.id })).phone;
    const other = (await buildHousehold(ctx.deps, { region: tree.groupA1 })).id;
    const neighbour = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: other });
    phones.neighbour = (await buildUser(ctx.deps, { role: 'villager', region: tree.groupA1, personId: neighbour.id })).phone;
    phones.worker = (await buildUser(ctx.deps, { role: 'extensionWorker', region: tree.townshipA, name: '罗正平' })).phone;
    phones.workerB = (await buildUser(ctx.deps, { role: 'extensionWorker', region: tree.townshipB })).phone;
    phones.cadre = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone;
    phones.township = (await buildUser(ctx.deps, { role: 'townshipOfficial', region: tree.townshipA })).phone;
    phones.county = (await buildUser(ctx.deps, { role: 'countyAdmin', region: tree.county })).phone;
  });

  it(
    'a question is answered in its thread, and one unanswered after a working day is flagged',
    async () => {
      // Monday 10:00 in Beijing: due at Tuesday 10:00 (a working day of 8.5 hours, 09:00–17:30).
      ctx.clock.now = Date.parse('2026-11-30T10:00:00+08:00');
      const member = await as('member');
      const photo = (
        await member.request({ method: 'POST', url: '/api/agri/photos', headers: { 'content-type': 'image/jpeg' }, payload: await jpeg() })
      ).json();
      const asked = await member.post('/api/agri/questions', { text: '鸡拉稀、精神差，是不是球虫病？', photoIds: [photo.id] });
      expect(asked.statusCode).toBe(201);
      const question = asked.json();
      expect(question).toMatchObject({ state: 'open', overdue: false, dueAt: '2026-12-01T10:00:00.000+08:00', photoIds: [photo.id] });
      const second = (await member.post('/api/agri/questions', { text: '李子叶子发黄' })).json();

      ctx.clock.advance(26 * HOUR);
      const worker = await as('worker');
      const overdue = (await worker.get('/api/agri/questions?state=overdue')).json().items.map((q: { id: string }) => q.id);
      expect(overdue.sort()).toEqual([question.id, second.id].sort());
      const answered = await worker.post(`/api/agri/questions/${question.id}/messages`, {
        text: '像球虫病，隔离病鸡，饮水加地克珠利，连用5天。',
      });
      expect(answered.statusCode).toBe(201);
      expect(answered.json().question).toMatchObject({ state: 'answered', overdue: false, answeredByName: '罗正平' });
      expect((await worker.get('/api/agri/questions?state=overdue')).json().items.map((q: { id: string }) => q.id)).toEqual([second.id]);

      const again = await as('member');
      const thread = (await again.get(`/api/agri/questions/${question.id}`)).json();
      expect(thread.messages.map((m: { side: string }) => m.side)).toEqual(['extensionWorker']);
      expect((await again.post(`/api/agri/questions/${question.id}/messages`, { text: '好的，谢谢！' })).statusCode).toBe(201);
      expect((await again.post(`/api/agri/questions/${question.id}/close`)).json().question.state).toBe('closed');
      expect((await worker.post(`/api/agri/questions/${question.id}/messages`, { text: '再补充一点' })).statusCode).toBe(409);

      // Others: the neighbour and the other township's worker do not see it; the cadre reads but does not answer.
      expect((await (await as('neighbour')).get(`/api/agri/questions/${second.id}`)).statusCode).toBe(404);
      expect((await (await as('workerB')).post(`/api/agri/questions/${second.id}/messages`, { text: '…' })).statusCode).toBe(404);
      const cadre = await as('cadre');
      expect((await cadre.get(`/api/agri/questions/${second.id}`)).statusCode).toBe(200);
      expect((await cadre.post(`/api/agri/questions/${second.id}/messages`, { text: '…' })).statusCode).toBe(403);
      expect((await (await as('neighbour')).get('/api/agri/questions')).json().items).toEqual([]);
      const notified = await ctx.deps.db.selectFrom('notifications').select('topic').where('topic', 'like', 'agri.%').execute();
      expect(notified.map((n) => n.topic).sort()).toEqual(['agri.answer', 'agri.question', 'agri.question']);
    },
    SLOW,
  );

  it(
    'the figures follow the data at each level, aggregated, and export as XLSX',
    async () => {
      const worker = await as('worker');
      const empty = (await (await as('township')).get('/api/agri/figures')).json();
      expect(empty).toMatchObject({ regionId: tree.townshipA.id, farms: 0, plotsByCrop: [], flocksBySpecies: [] });
      await worker.post(`/api/agri/farms/${household}/plots`, { name: '茶园', kind: 'teaGarden', crop: 'tea', areaMu: 2.5 });
      const flock = (
        await worker.post(`/api/agri/farms/${household}/flocks`, { name: '林下鸡', species: 'forestChicken', headCount: 300 })
      ).json();
      const year = new Date(ctx.clock.now + 8 * HOUR).getUTCFullYear();
      const saleDay = new Date(ctx.clock.now + 8 * HOUR).toISOString().slice(0, 10);
      await worker.post(`/api/agri/farms/${household}/observations`, {
        flockId: flock.id,
        kind: 'sale',
        observedOn: saleDay,
        quantityKg: 100,
        priceYuanPerKg: 35,
      });
      await (await as('member')).post('/api/agri/questions', { text: '问题' });

      const township = (await (await as('township')).get(`/api/agri/figures?year=${year}`)).json();
      expect(township.farms).toBe(1);
      expect(township.plotsByCrop).toEqual([{ crop: 'tea', plots: 1, households: 1, areaMu: 2.5 }]);
      expect(township.flocksBySpecies).toEqual([{ species: 'forestChicken', flocks: 1, households: 1, heads: 300 }]);
      const month = Number(saleDay.slice(5, 7));
      expect(township.byMonth[month - 1]).toMatchObject({ soldKg: 100, salesYuan: 3500 });
      expect(township.questions).toMatchObject({ asked: 1, answered: 0, open: 1 });
      const villageRow = township.byPlace.find((p: { regionId: string }) => p.regionId === tree.villageA.id);
      expect(villageRow).toMatchObject({ farms: 1, areaMu: 2.5, heads: 300, salesYuan: 3500 });
      expect(JSON.stringify(township)).not.toContain(household);

      const county = (await (await as('county')).get('/api/agri/figures')).json();
      expect(county.byPlace.find((p: { regionId: string }) => p.regionId === tree.townshipA.id).farms).toBe(1);
      expect(county.byPlace.find((p: { regionId: string }) => p.regionId === tree.townshipB.id).farms).toBe(0);
      expect((await (await as('workerB')).get('/api/agri/figures')).json().farms).toBe(0);
      expect((await (await as('workerB')).get(`/api/agri/figures?regionId=${tree.townshipA.id}`)).statusCode).toBe(404);
      expect((await (await as('member')).get('/api/agri/figures')).statusCode).toBe(403);

      const xlsx = await (await as('cadre')).request({ method: 'GET', url: '/api/agri/figures.xlsx' });
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      const rows = readXlsx(xlsx.rawPayload);
      expect(rows[0]?.[0]).toContain('产业兴旺');
      expect(rows.find((r) => r[0]?.startsWith('茶叶'))?.slice(1, 4)).toEqual(['1', '1', '2.5']);
    },
    SLOW,
  );
});
