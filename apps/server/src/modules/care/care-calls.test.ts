// Family calls and a look at home (issue 20) through the real app and its call stream: pairing the
// home device, a call rung, answered, signalled and hung up, a stranger refused (and audited), a
// missed call telling the caretaker on a day the elder was not seen, a look at home with the
// elder's consent that ends at once when the consent is withdrawn, and short-lived TURN credentials.
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { type EventStream, openEventStream, until } from '../../../test/event-streams.ts';
import { buildPerson, buildTree, buildUser, PASSWORD } from '../../../test/factories.ts';
import { MAX_STREAMS_PER_USER } from '../../platform/events.routes.ts';
import { PAIRING_GUARD_WINDOW_MS, WRONG_PAIRING_CODES } from './care-pairing-guard.ts';
import { iceServers, turnCredentials } from './care-turn-credentials.ts';

describe('turn credentials', () => {
  it('follow the TURN REST API scheme coturn checks with use-auth-secret', () => {
    const made = turnCredentials('s3cret', 'user-1', 1_700_000_000_000, 600);
    expect(made.username).toBe('1700000600:user-1');
    expect(made.credential).toBe(createHmac('sha1', 's3cret').update('1700000600:user-1').digest('base64'));
    expect(made.expiresAt).toBe(1_700_000_600_000);
  });

  it('are left out when the county runs no TURN server', () => {
    expect(iceServers({ stunUrls: ['stun:a:3478'], turnUrls: [], turnSecret: undefined }, 'u', 0)).toEqual({
      iceServers: [{ urls: ['stun:a:3478'] }],
      expiresAt: null,
    });
  });
});

describe.each(dialects)('family calls on %s', (dialect) => {
  let port: number;
  let elderId: string;
  let otherElderId: string;
  let familyId: string;
  let caretakerId: string;
  let family: Session;
  let stranger: Session;
  let caretaker: Session;
  let doctor: Session;
  const streams: EventStream[] = [];

  const ctx = useTestApp(
    dialect,
    async () => {
      const tree = await buildTree(ctx.deps);
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      port = (ctx.app.server.address() as AddressInfo).port;
      doctor = await login(ctx.app, (await buildUser(ctx.deps, { role: 'doctor', region: tree.townshipB })).phone, PASSWORD);
      const caretakerUser = await buildUser(ctx.deps, { role: 'caretaker', region: tree.villageB, name: '冉看护' });
      caretakerId = caretakerUser.id;
      caretaker = await login(ctx.app, caretakerUser.phone, PASSWORD);
      const son = await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageB, name: '石敦国' });
      familyId = son.id;
      family = await login(ctx.app, son.phone, PASSWORD);
      const other = await buildUser(ctx.deps, { role: 'familyMember', region: tree.villageB, name: '陌生人' });
      stranger = await login(ctx.app, other.phone, PASSWORD);
      elderId = (await buildPerson(ctx.deps, { region: tree.groupB1, name: '何奶奶' })).id;
      otherElderId = (await buildPerson(ctx.deps, { region: tree.groupB1, name: '白爷爷' })).id;
      for (const [personId, relative] of [
        [elderId, son.id],
        [otherElderId, other.id],
      ] as const) {
        const saved = await doctor.post('/api/care/elders', {
          personId,
          livingSituation: '独居',
          conditions: [],
          contacts: [],
          caretakerUserId: caretakerUser.id,
        });
        expect(saved.statusCode).toBe(200);
        expect((await doctor.post(`/api/care/elders/${personId}/family`, { userId: relative, consent: true })).statusCode).toBe(204);
      }
    },
    { TURN_URLS: 'turn:turn.example.cn:3478?transport=udp', TURN_SECRET: 'county-secret' },
  );

  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });

  const openStream = async (headers: Record<string, string>): Promise<EventStream> => {
    const stream = await openEventStream(port, '/api/care/calls/stream', headers);
    if (stream.status !== 200) throw new Error(`stream ${stream.status}`);
    streams.push(stream);
    await until(() => stream.text().includes(': connected'));
    return stream;
  };
  const userStream = (session: Session) => openStream({ cookie: `cz_session=${session.cookie}` });
  const homeStream = (key: string) => openStream({ authorization: `Bearer ${key}` });
  const asHome = (key: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
    ctx.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload && { payload }) });
  const seen = (stream: EventStream, event: string, match: (data: Record<string, unknown>) => boolean = () => true) =>
    until(() => stream.events().some((e) => e.event === event && match(e.data)));

  const pairHome = async (session: Session = family, personId = elderId) => {
    const issued = await session.post(`/api/care/elders/${personId}/home-pairing`);
    expect(issued.statusCode).toBe(201);
    const paired = await ctx.app.inject({ method: 'POST', url: '/api/care/home/pair', payload: { code: issued.json().code } });
    expect(paired.statusCode).toBe(201);
    return paired.json() as { key: string; elderName: string; deviceId: string };
  };
  const audits = (action: string) =>
    ctx.deps.db.selectFrom('audit_log').select(['outcome', 'actor_user_id', 'target_id']).where('action', '=', action).execute();

  it('pairs the home device with a code used once; a wrong code and a stranger are refused', async () => {
    const issued = await family.post(`/api/care/elders/${elderId}/home-pairing`);
    expect(issued.json().code).toMatch(/^\d{8}$/);
    const first = await ctx.app.inject({ method: 'POST', url: '/api/care/home/pair', payload: { code: issued.json().code } });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ elderName: '何奶奶' });
    const again = await ctx.app.inject({ method: 'POST', url: '/api/care/home/pair', payload: { code: issued.json().code } });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('pairing_code_invalid');
    expect((await ctx.app.inject({ method: 'POST', url: '/api/care/home/pair', payload: { code: 'abc' } })).statusCode).toBe(400);

    expect((await stranger.post(`/api/care/elders/${elderId}/home-pairing`)).statusCode).toBe(403);
    expect(await audits('care.home.pairing')).toContainEqual(expect.objectContaining({ outcome: 'denied', target_id: elderId }));
    // The caretaker may pair it too (they set up the TV box on a visit).
    expect((await caretaker.post(`/api/care/elders/${elderId}/home-pairing`)).statusCode).toBe(201);

    const home = await asHome(first.json().key, 'GET', '/api/care/home');
    expect(home.statusCode).toBe(200);
    expect(home.json()).toMatchObject({
      elderName: '何奶奶',
      lookConsent: false,
      contacts: [
        { userId: familyId, name: '石敦国', relation: 'family', autoAnswer: false },
        { userId: caretakerId, name: '冉看护', relation: 'caretaker' },
      ],
    });
    expect((await asHome('home_not-a-key', 'GET', '/api/care/home')).statusCode).toBe(401);
    // A lost TV box: a stranger cannot unpair it, the son can, and its key stops working at once.
    const lostBox = await homeStream(first.json().key);
    expect((await stranger.delete(`/api/care/elders/${elderId}/home-devices`)).statusCode).toBe(403);
    expect(lostBox.hasEnded()).toBe(false);
    expect((await family.delete(`/api/care/elders/${elderId}/home-devices`)).statusCode).toBe(204);
    expect((await asHome(first.json().key, 'GET', '/api/care/home')).statusCode).toBe(401);
    // Its open call stream ends with it, not at the next heartbeat: a lost box hears no more rings.
    expect(await until(() => lostBox.hasEnded(), 1_000)).toBe(true);
    const second = await pairHome();
    const secondStream = await homeStream(second.key);
    expect(
      (await ctx.app.inject({ method: 'DELETE', url: '/api/care/home', headers: { authorization: `Bearer ${second.key}` } })).statusCode,
    ).toBe(204);
    expect(await until(() => secondStream.hasEnded(), 1_000)).toBe(true);
    expect((await asHome(second.key, 'GET', '/api/care/home')).statusCode).toBe(401);
    expect(await audits('care.home.revoke')).toHaveLength(3);
    expect((await family.get('/api/care/home')).statusCode).toBe(403);
  });

  it('rings the home, connects the two sides only, and hangs up cleanly; a stranger is refused and audited', async () => {
    const { key } = await pairHome();
    const home = await homeStream(key);
    const son = await userStream(family);
    const outsider = await userStream(stranger);

    const target = await family.get(`/api/care/elders/${elderId}/calling`);
    expect(target.json()).toEqual({ elderPersonId: elderId, name: '何奶奶', lookAllowed: false, homeOnline: true });
    expect((await stranger.get(`/api/care/elders/${elderId}/calling`)).statusCode).toBe(403);
    expect((await stranger.post('/api/care/calls', { kind: 'call', elderPersonId: elderId })).statusCode).toBe(403);

    const started = await family.post('/api/care/calls', { kind: 'call', elderPersonId: elderId });
    expect(started.statusCode).toBe(201);
    const call = started.json();
    expect(call).toMatchObject({ state: 'ringing', direction: 'family', elderName: '何奶奶', userName: '石敦国' });
    expect(await seen(home, 'ring', (d) => (d.call as { id: string }).id === call.id && d.autoAnswer === false)).toBe(true);

    // Only the called side answers; the stranger can neither answer nor signal nor hang up.
    expect((await family.post(`/api/care/calls/${call.id}/answer`)).statusCode).toBe(403);
    expect((await stranger.post(`/api/care/calls/${call.id}/answer`)).statusCode).toBe(403);
    expect((await asHome(key, 'POST', `/api/care/calls/${call.id}/answer`)).statusCode).toBe(204);
    expect(await seen(son, 'answered', (d) => d.callId === call.id)).toBe(true);

    const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };
    expect((await family.post(`/api/care/calls/${call.id}/signal`, offer)).statusCode).toBe(204);
    expect(await seen(home, 'signal', (d) => d.type === 'offer' && d.sdp === offer.sdp)).toBe(true);
    const answer = await asHome(key, 'POST', `/api/care/calls/${call.id}/signal`, { type: 'answer', sdp: 'v=0\r\n' });
    expect(answer.statusCode).toBe(204);
    expect(await seen(son, 'signal', (d) => d.type === 'answer')).toBe(true);
    const candidate = {
      type: 'candidate',
      candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 },
    };
    expect((await family.post(`/api/care/calls/${call.id}/signal`, candidate)).statusCode).toBe(204);
    expect(await seen(home, 'signal', (d) => d.type === 'candidate')).toBe(true);

    const refused = await stranger.post(`/api/care/calls/${call.id}/signal`, offer);
    expect(refused.statusCode).toBe(403);
    expect(JSON.stringify(refused.json())).not.toContain('v=0');
    expect((await stranger.post(`/api/care/calls/${call.id}/end`, {})).statusCode).toBe(403);
    expect(outsider.events()).toEqual([]);
    expect(await audits('care.call.signal')).toContainEqual(expect.objectContaining({ outcome: 'denied' }));
    expect((await family.post(`/api/care/calls/${call.id}/signal`, { type: 'offer', sdp: 'x'.repeat(30_001) })).statusCode).toBe(400);

    expect((await family.post(`/api/care/calls/${call.id}/end`, {})).statusCode).toBe(204);
    expect(await seen(home, 'ended', (d) => d.callId === call.id && d.state === 'ended')).toBe(true);
    expect(await seen(son, 'ended', (d) => d.callId === call.id)).toBe(true);
    // Over: a late candidate from a side is told so, not audited as a stranger.
    expect((await family.post(`/api/care/calls/${call.id}/signal`, candidate)).statusCode).toBe(409);

    const mine = (await family.get(`/api/care/calls?elderPersonId=${elderId}`)).json().items;
    expect(mine).toMatchObject([{ id: call.id, state: 'ended', endReason: 'hangup', kind: 'call' }]);
    expect(mine[0].answeredAt).not.toBeNull();
    const homeHistory = (await asHome(key, 'GET', '/api/care/calls')).json().items;
    expect(homeHistory.map((c: { id: string }) => c.id)).toEqual([call.id]);
    expect((await stranger.get('/api/care/calls')).json().items).toEqual([]);
    expect(await audits('care.calls.read')).toHaveLength(3);
  });

  it('lets the home device call the family and the caretaker, no one else, and answers named family automatically', async () => {
    const { key } = await pairHome();
    const home = await homeStream(key);
    const son = await userStream(family);
    const called = await asHome(key, 'POST', '/api/care/calls', { kind: 'call', userId: familyId });
    expect(called.statusCode).toBe(201);
    expect(called.json()).toMatchObject({ direction: 'home', state: 'ringing' });
    expect(await seen(son, 'ring', (d) => (d.call as { id: string }).id === called.json().id)).toBe(true);
    expect((await family.post(`/api/care/calls/${called.json().id}/end`, { reason: 'declined' })).statusCode).toBe(204);
    expect(await seen(home, 'ended', (d) => d.state === 'declined')).toBe(true);

    const strangerId = (await stranger.get('/api/auth/session')).json().user.id as string;
    expect((await asHome(key, 'POST', '/api/care/calls', { kind: 'call', userId: strangerId })).statusCode).toBe(403);
    expect((await asHome(key, 'PUT', '/api/care/home/settings', { autoAnswerUserIds: [strangerId], lookConsent: false })).statusCode).toBe(
      400,
    );

    expect((await asHome(key, 'PUT', '/api/care/home/settings', { autoAnswerUserIds: [familyId], lookConsent: false })).statusCode).toBe(
      204,
    );
    const next = await family.post('/api/care/calls', { kind: 'call', elderPersonId: elderId });
    expect(await seen(home, 'ring', (d) => (d.call as { id: string }).id === next.json().id && d.autoAnswer === true)).toBe(true);
    // The home device is busy with it: a second call is a missed one straight away.
    const second = await family.post('/api/care/calls', { kind: 'call', elderPersonId: elderId });
    expect(second.json()).toMatchObject({ state: 'missed', endReason: 'busy' });
  });

  it('tells the caretaker of a missed call on a day the elder has not been seen, and not on a day they were', async () => {
    const inbox = async () => (await caretaker.get('/api/notifications')).json().items as { topic: string; message: string }[];
    // Last heard of two days ago (taken into care then); nothing from her today.
    const twoDaysAgo = ctx.clock.now - 2 * 86_400_000;
    await ctx.deps.db.updateTable('care_elders').set({ last_activity_at: twoDaysAgo }).where('person_id', '=', elderId).execute();
    const missed = await family.post('/api/care/calls', { kind: 'call', elderPersonId: elderId });
    expect(missed.json()).toMatchObject({ state: 'missed', endReason: 'offline' });
    const told = (await inbox()).filter((n) => n.topic === 'care.call.missed');
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0])).toContain('何奶奶');

    await ctx.deps.db.updateTable('care_elders').set({ last_activity_at: ctx.clock.now }).where('person_id', '=', otherElderId).execute();
    const strangerCall = await stranger.post('/api/care/calls', { kind: 'call', elderPersonId: otherElderId });
    expect(strangerCall.json()).toMatchObject({ state: 'missed' });
    expect((await inbox()).filter((n) => n.topic === 'care.call.missed')).toHaveLength(1);

    // The elder called from home and the son's call page was not open: he is told, to call back.
    const { key } = await pairHome();
    const fromHome = await asHome(key, 'POST', '/api/care/calls', { kind: 'call', userId: familyId });
    expect(fromHome.json()).toMatchObject({ state: 'missed', endReason: 'offline', direction: 'home' });
    const sons = (await family.get('/api/notifications')).json().items as { topic: string; message: string }[];
    expect(sons.filter((n) => n.topic === 'care.call.missed').map((n) => n.message)).toEqual([
      '何奶奶从家里给您打了视频电话，您没有接到，请回拨。',
    ]);
  });

  it("opens a look at home only with the elder's standing consent, audits it, and ends it at once when the consent is withdrawn", async () => {
    const { key } = await pairHome();
    const home = await homeStream(key);
    const son = await userStream(family);
    const outsider = await userStream(stranger);
    expect((await family.post('/api/care/calls', { kind: 'look', elderPersonId: elderId })).statusCode).toBe(403);
    expect((await caretaker.post('/api/care/calls', { kind: 'look', elderPersonId: elderId })).statusCode).toBe(403);

    expect((await asHome(key, 'PUT', '/api/care/home/settings', { autoAnswerUserIds: [], lookConsent: true })).statusCode).toBe(204);
    // The son's open call page hears of the consent at once (its 看看家里 button follows without a reload).
    expect(await seen(son, 'consent', (d) => d.elderPersonId === elderId && d.lookAllowed === true)).toBe(true);
    expect((await family.get(`/api/care/elders/${elderId}/calling`)).json().lookAllowed).toBe(true);
    const look = await family.post('/api/care/calls', { kind: 'look', elderPersonId: elderId });
    expect(look.statusCode).toBe(201);
    expect(await seen(home, 'ring', (d) => (d.call as { kind: string }).kind === 'look' && d.autoAnswer === true)).toBe(true);
    expect((await asHome(key, 'POST', `/api/care/calls/${look.json().id}/answer`)).statusCode).toBe(204);
    expect(await seen(son, 'answered')).toBe(true);

    expect((await asHome(key, 'PUT', '/api/care/home/settings', { autoAnswerUserIds: [], lookConsent: false })).statusCode).toBe(204);
    expect(await seen(son, 'ended', (d) => d.callId === look.json().id && d.reason === 'consent_withdrawn')).toBe(true);
    expect(await seen(home, 'ended', (d) => d.reason === 'consent_withdrawn')).toBe(true);
    expect(await seen(son, 'consent', (d) => d.elderPersonId === elderId && d.lookAllowed === false)).toBe(true);
    // Nobody else hears of another family's consent.
    expect(outsider.events()).toEqual([]);
    expect((await family.post(`/api/care/calls/${look.json().id}/signal`, { type: 'offer', sdp: 'v=0' })).statusCode).toBe(409);
    expect((await family.post('/api/care/calls', { kind: 'look', elderPersonId: elderId })).statusCode).toBe(403);

    for (const action of ['care.look.start', 'care.look.answer', 'care.look.end']) {
      expect(await audits(action), action).toContainEqual(expect.objectContaining({ outcome: 'ok', target_id: elderId }));
    }
    const history = (await family.get('/api/care/calls')).json().items;
    expect(history[0]).toMatchObject({ kind: 'look', state: 'ended', endReason: 'consent_withdrawn' });
  });

  it("tells the elder's family at once when the home device comes on and goes off, and the issuer when its pairing code is used", async () => {
    const son = await userStream(family);
    const outsider = await userStream(stranger);
    const nurse = await userStream(caretaker);
    expect((await family.get(`/api/care/elders/${elderId}/calling`)).json().homeOnline).toBe(false);

    // The code the son's page shows is used up once the TV pairs: his page hears it; the caretaker's does not.
    const { key } = await pairHome();
    expect(await seen(son, 'paired', (d) => d.elderPersonId === elderId)).toBe(true);

    // The TV's page opens: the son's call page drops 家里的平板或电视没有打开 without a reload.
    const home = await homeStream(key);
    expect(await seen(son, 'presence', (d) => d.elderPersonId === elderId && d.homeOnline === true)).toBe(true);
    expect((await family.get(`/api/care/elders/${elderId}/calling`)).json().homeOnline).toBe(true);

    // A second page of the same home closing leaves the home on; the last one closing turns it off.
    const second = await homeStream(key);
    second.close();
    expect(
      await seen(son, 'presence', (d) => d.homeOnline === true && son.events().filter((e) => e.event === 'presence').length >= 3),
    ).toBe(true);
    expect(
      son
        .events()
        .filter((e) => e.event === 'presence')
        .map((e) => e.data.homeOnline),
    ).toEqual([true, true, true]);
    home.close();
    expect(await seen(son, 'presence', (d) => d.elderPersonId === elderId && d.homeOnline === false)).toBe(true);
    expect((await family.get(`/api/care/elders/${elderId}/calling`)).json().homeOnline).toBe(false);

    // Unpairing the TV ends its stream, and the family hears it went off.
    const again = await homeStream(key);
    expect(
      await seen(son, 'presence', (d) => d.homeOnline === true && son.events().filter((e) => e.event === 'presence').length >= 5),
    ).toBe(true);
    expect((await family.delete(`/api/care/elders/${elderId}/home-devices`)).statusCode).toBe(204);
    expect(await until(() => again.hasEnded(), 1_000)).toBe(true);
    expect(await until(() => son.events().at(-1)?.event === 'presence' && son.events().at(-1)?.data.homeOnline === false)).toBe(true);

    // Nobody else hears of another family's home, nor of its pairing.
    expect(outsider.events()).toEqual([]);
    expect(nurse.events().filter((e) => e.event === 'presence' || e.event === 'paired')).toEqual([]);
  });

  it('holds at most MAX_STREAMS_PER_USER call streams of one person open and refuses one more with 429 (attacker)', async () => {
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) await userStream(family);
    const refused = await openEventStream(port, '/api/care/calls/stream', { cookie: `cz_session=${family.cookie}` });
    expect(refused.status).toBe(429);
    refused.close();
    // A stream closed frees its place.
    streams.pop()?.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await userStream(family)).text()).toContain(': connected');
  });

  it('stops pairing for everyone, 429 with Retry-After and audited, once many addresses have guessed wrong codes', async () => {
    const issued = await family.post(`/api/care/elders/${elderId}/home-pairing`);
    const code = issued.json().code as string;
    const wrong = code === '00000000' ? '00000001' : '00000000';
    const pair = (guess: string, address: string) =>
      ctx.app.inject({ method: 'POST', url: '/api/care/home/pair', payload: { code: guess }, remoteAddress: address });
    // Each guess from an address of its own: the per-address limit never sees more than one.
    for (let i = 0; i < WRONG_PAIRING_CODES; i++) expect((await pair(wrong, `198.51.100.${i + 1}`)).statusCode).toBe(401);
    const refused = await pair(wrong, '203.0.113.7');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('pairing_too_many_guesses');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(PAIRING_GUARD_WINDOW_MS / 1000);
    // The right code waits too: letting it through would let the guessing go on.
    expect((await pair(code, '203.0.113.8')).statusCode).toBe(429);
    // One audit row per refused address and window, not one per request of a flood.
    expect((await pair(wrong, '203.0.113.7')).statusCode).toBe(429);
    const denied = await ctx.deps.db
      .selectFrom('audit_log')
      .select(['details', 'ip'])
      .where('action', '=', 'care.home.pair')
      .where('outcome', '=', 'denied')
      .execute();
    const throttled = denied.filter((row) => String(row.details).includes('too_many_wrong_codes'));
    expect(throttled.map((row) => row.ip).sort()).toEqual(['203.0.113.7', '203.0.113.8']);
    expect(denied).toHaveLength(WRONG_PAIRING_CODES + 2);

    // Until the window is over; then the son's new code pairs the TV box.
    ctx.clock.advance(PAIRING_GUARD_WINDOW_MS - 60_000);
    expect((await pair(code, '203.0.113.8')).statusCode).toBe(429);
    ctx.clock.advance(60_000);
    const again = (await family.post(`/api/care/elders/${elderId}/home-pairing`)).json().code as string;
    expect((await pair(again, '203.0.113.8')).statusCode).toBe(201);
  });

  it('hands out STUN and short-lived TURN credentials to the signed-in and the home device, and nobody else', async () => {
    const ice = (await family.get('/api/care/calls/ice')).json();
    expect(ice.iceServers[0]).toEqual({ urls: ['stun:turn.example.cn:3478'] });
    const turn = ice.iceServers[1];
    expect(turn.urls).toEqual(['turn:turn.example.cn:3478?transport=udp']);
    expect(turn.username).toBe(`${Math.floor(ctx.clock.now / 1000) + 7200}:${familyId}`);
    expect(turn.credential).toBe(createHmac('sha1', 'county-secret').update(turn.username).digest('base64'));
    const { key, deviceId } = await pairHome();
    expect((await asHome(key, 'GET', '/api/care/calls/ice')).json().iceServers[1].username).toContain(`:home-${deviceId}`);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/care/calls/ice' })).statusCode).toBe(401);
  });
});
