// A notice that reaches a villager is streamed live to their open pages (GET /api/events), so their
// 通知 list and the home's figure follow without a reload; it is streamed to nobody else: not to a
// neighbour the audience left out, not to another village, not to the cadre whose scope holds them all.
// Run against a listening server: a stream is a response that never finishes on its own.
import type { AddressInfo } from 'node:net';
import { NOTICE_DELIVERED_EVENT } from '@cunzhi/contracts/notices-live';
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { type EventStream, openEventStream, until } from '../../../test/event-streams.ts';
import { buildHousehold, buildPerson, buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { addHouseholdTrait } from './notices-audiences.repository.ts';
import { pushDueNotices } from './notices-push.service.ts';

/** The ids of the notices a stream was told of, in order. */
const deliveredIn = (text: string): string[] =>
  [...text.matchAll(new RegExp(`event: ${NOTICE_DELIVERED_EVENT.replace('.', '\\.')}\\ndata: (.*)\\n`, 'g'))].map(
    (m) => (JSON.parse(m[1] as string) as { id: string }).id,
  );

describe.each(dialects)('notices streamed live to the people they reach on %s', (dialect) => {
  let tree: Tree;
  let port: number;
  const phones = { cadre: '', chickens: '', plain: '', far: '' };

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ctx.app.server.address() as AddressInfo).port;
    phones.cadre = (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone;
    const chickens = await buildHousehold(ctx.deps, { region: tree.groupA1, headName: '养鸡户' });
    const a = await buildPerson(ctx.deps, { region: tree.groupA1, householdId: chickens.id });
    phones.chickens = (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA, personId: a.id })).phone;
    await addHouseholdTrait(ctx.deps.db, chickens.id, 'keepsChickens');
    const plain = await buildHousehold(ctx.deps, { region: tree.groupA2, headName: '普通户' });
    const b = await buildPerson(ctx.deps, { region: tree.groupA2, householdId: plain.id });
    phones.plain = (await buildUser(ctx.deps, { role: 'villager', region: tree.villageA, personId: b.id })).phone;
    const far = await buildHousehold(ctx.deps, { region: tree.groupB1 });
    const c = await buildPerson(ctx.deps, { region: tree.groupB1, householdId: far.id });
    phones.far = (await buildUser(ctx.deps, { role: 'villager', region: tree.villageB, personId: c.id })).phone;
  });

  const as = (who: keyof typeof phones): Promise<Session> => login(ctx.app, phones[who], PASSWORD);

  const openStream = async (session: Session): Promise<EventStream> => {
    const stream = await openEventStream(port, '/api/events', { cookie: `cz_session=${session.cookie}` });
    expect(stream.status).toBe(200);
    return stream;
  };

  const listening = async (who: keyof typeof phones) => {
    const session = await as(who);
    const stream = await openStream(session);
    expect(await until(() => stream.text().includes(': connected'))).toBe(true);
    return { session, stream };
  };

  /** A notice from the village cadre, sent now and pushed as the job pushes it. */
  const send = async (title: string, audience: Record<string, unknown> = {}) => {
    const made = await (await as('cadre')).post('/api/notices', { title, body: `${title}。`, urgent: false, audience, send: true });
    expect(made.statusCode).toBe(201);
    await pushDueNotices(ctx.deps);
    return made.json().id as string;
  };

  it('tells each villager the notice reached, once it is in their inbox, and nobody in another village', async () => {
    const chickens = await listening('chickens');
    const plain = await listening('plain');
    const far = await listening('far');
    const cadre = await listening('cadre');

    const id = await send('村道维修通知');
    expect(await until(() => deliveredIn(chickens.stream.text()).includes(id))).toBe(true);
    expect(await until(() => deliveredIn(plain.stream.text()).includes(id))).toBe(true);
    // Told only after it is theirs to read: the inbox asked on hearing it lists it, unread.
    const inbox = (await chickens.session.get('/api/notices/inbox')).json() as { unread: number; items: { id: string }[] };
    expect(inbox.items.map((n) => n.id)).toContain(id);
    expect(inbox.unread).toBe(1);

    // A second notice to the whole village, so that a stream that would have
    // carried the first has carried it by now: events reach a stream in order.
    const later = await send('秋季防火通知');
    expect(await until(() => deliveredIn(plain.stream.text()).includes(later))).toBe(true);
    expect(deliveredIn(plain.stream.text())).toEqual([id, later]);
    // The other village's villager, and the cadre whose scope holds the whole village (their desk
    // hears notice.due, not who was reached), were told of neither.
    expect(deliveredIn(far.stream.text())).toEqual([]);
    expect(deliveredIn(cadre.stream.text())).toEqual([]);
    expect(far.stream.text()).not.toContain(id);
  });

  it('never tells a neighbour of a notice the audience left them out of', async () => {
    const chickens = await listening('chickens');
    const plain = await listening('plain');

    const forChickens = await send('禽流感防疫', { traits: ['keepsChickens'] });
    expect(await until(() => deliveredIn(chickens.stream.text()).includes(forChickens))).toBe(true);
    // A notice to everyone after it: once the neighbour heard of that one, they would have heard of the first.
    const forAll = await send('村民大会通知');
    expect(await until(() => deliveredIn(plain.stream.text()).includes(forAll))).toBe(true);
    expect(deliveredIn(plain.stream.text())).toEqual([forAll]);
    expect(plain.stream.text()).not.toContain(forChickens);
    // Their inbox agrees: the notice is not theirs.
    const inbox = (await plain.session.get('/api/notices/inbox')).json() as { items: { id: string }[] };
    expect(inbox.items.map((n) => n.id)).toEqual([forAll]);
  });
});
