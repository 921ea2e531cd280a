import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dialects, type Session, useTestApp } from '../../../test/build-test-app.ts';
import { buildCaseWorld, type CaseWorld } from '../../../test/case-world.ts';

/** Black and white squares of 8 px: detail like a face's, which a blur must wipe out. */
function checkerboard(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) pixels[y * width + x] = (Math.floor(x / 8) + Math.floor(y / 8)) % 2 ? 255 : 0;
  return pixels;
}

/** A phone photo: red with a checkered square in its top-left quarter, carrying the phone's make and a GPS position. */
async function phonePhoto(width = 800, height = 600): Promise<Buffer> {
  const [w, h] = [Math.round(width / 4), Math.round(height / 4)];
  const square = await sharp(checkerboard(w, h), { raw: { width: w, height: h, channels: 1 } })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .composite([{ input: square, left: Math.round(width / 8), top: Math.round(height / 8) }])
    .jpeg()
    .withExif({ IFD0: { Make: 'TestPhone', Model: 'X100' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '28/1 50/1 0/1' } })
    .toBuffer();
}

const upload = (session: Session, caseId: string, body: Buffer, query = '', headers: Record<string, string> = {}) =>
  session.request({
    method: 'POST',
    url: `/api/cases/${caseId}/photos${query}`,
    payload: body,
    headers: { 'content-type': 'image/jpeg', ...headers },
  });

describe.each(dialects)('case photos and the exposure board on %s', (dialect) => {
  let world: CaseWorld;
  let photo: Buffer;

  const ctx = useTestApp(
    dialect,
    async () => {
      world = await buildCaseWorld(ctx);
      photo = await phonePhoto();
    },
    { PHOTO_LIMIT_BYTES: String(300_000) },
  );

  const report = async (overrides: Record<string, unknown> = {}) => {
    const response = await world.villager.post('/api/cases', {
      source: 'exposureBoard',
      channel: 'app',
      categoryId: world.categories.road,
      regionId: world.tree.groupA1.id,
      title: `${world.villagerName}家门口的路塌了`,
      description: `路口塌了一米多，请联系${world.villagerName}，电话13912345678。`,
      ...overrides,
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; publicState: string | null };
  };

  it('stores a photo re-encoded without its metadata, with a thumbnail, and lists it', async () => {
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const { id } = await report();
    const response = await upload(world.villager, id, photo);
    expect(response.statusCode).toBe(201);
    const stored = response.json();
    expect(stored).toMatchObject({ stage: 'report', width: 800, height: 600, published: false });

    const full = await world.villager.get(stored.url);
    expect(full.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(full.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(full.rawPayload.includes(Buffer.from('TestPhone'))).toBe(false);
    const thumb = await sharp((await world.villager.get(stored.thumbUrl)).rawPayload).metadata();
    expect(Math.max(thumb.width ?? 0, thumb.height ?? 0)).toBe(320);

    const listed = (await world.gridWorker.get(`/api/cases/${id}/photos`)).json().items;
    expect(listed.map((p: { id: string }) => p.id)).toEqual([stored.id]);
    const events = (await world.gridWorker.get(`/api/cases/${id}/events`)).json().items;
    expect(events.at(-1)).toMatchObject({ action: 'addPhoto', details: { photoId: stored.id, stage: 'report' } });
  });

  it('refuses what is not a picture whatever its name or type says, and too large an upload, storing nothing', async () => {
    const { id } = await report();
    const fake = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const refused = await upload(world.villager, id, fake, '', { 'content-type': 'image/jpeg' });
    expect(refused.statusCode).toBe(415);
    expect(refused.json().error.code).toBe('not_an_image');
    const truncated = await upload(world.villager, id, photo.subarray(0, 200));
    expect(truncated.statusCode).toBe(415);
    const large = await sharp({
      create: { width: 3000, height: 3000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } },
    })
      .png()
      .toBuffer();
    expect(large.length).toBeGreaterThan(300_000);
    expect((await upload(world.villager, id, large, '', { 'content-type': 'image/png' })).statusCode).toBe(413);
    expect((await world.villager.get(`/api/cases/${id}/photos`)).json().items).toEqual([]);
  });

  it('lets only people of the case add photos: before and after are for those handling it', async () => {
    const { id } = await report();
    expect((await upload(world.cadreB, id, photo)).statusCode).toBe(404);
    expect((await upload(world.neighbour, id, photo)).statusCode).toBe(404);
    expect((await upload(world.villager, id, photo, '?stage=after')).statusCode).toBe(403);
    expect((await upload(world.gridWorker, id, photo, '?stage=before')).statusCode).toBe(201);
    expect((await world.cadreB.get(`/api/cases/${id}/photos`)).statusCode).toBe(404);
  });

  it('stores a retried upload once and refuses the same key with another picture', async () => {
    const { id } = await report();
    const headers = { 'idempotency-key': `photo-${id}` };
    const first = await upload(world.gridWorker, id, photo, '?stage=after', headers);
    const again = await upload(world.gridWorker, id, photo, '?stage=after', headers);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect((await upload(world.gridWorker, id, await phonePhoto(400, 300), '?stage=after', headers)).statusCode).toBe(422);
    expect((await world.gridWorker.get(`/api/cases/${id}/photos`)).json().items).toHaveLength(1);
  });

  it('keeps exposure-board reports off the public board until a moderator publishes them without names, numbers or faces', async () => {
    const { id, publicState } = await report();
    expect(publicState).toBe('pending');
    const photoId = (await upload(world.villager, id, photo)).json().id;
    const board = () => ctx.app.inject({ method: 'GET', url: `/api/public/villages/${world.tree.villageA.id}/exposure-board` });
    expect((await board()).json().items.map((i: { id: string }) => i.id)).not.toContain(id);
    const pending = (await world.cadre.get('/api/cases/moderation/pending')).json().items;
    expect(pending.map((c: { id: string }) => c.id)).toContain(id);

    // Grid workers handle cases but do not moderate; another village's cadre does not see it.
    expect((await world.gridWorker.get(`/api/cases/${id}/moderation`)).statusCode).toBe(403);
    expect((await world.cadreB.post(`/api/cases/${id}/moderation`, { decision: 'publish' })).statusCode).toBe(404);

    const suggestion = (await world.cadre.get(`/api/cases/${id}/moderation`)).json();
    expect(suggestion.publicTitle).toBe('王某某家门口的路塌了');
    expect(suggestion.publicText).not.toContain('13912345678');
    expect(suggestion.publicText).not.toContain(world.villagerName);

    // The moderator's own text is cleaned too, and the checkered square (a face, say) is blurred.
    const square = { x: 0.125, y: 0.125, width: 0.25, height: 0.25 };
    const published = await world.cadre.post(`/api/cases/${id}/moderation`, {
      decision: 'publish',
      publicTitle: '路口塌陷',
      publicText: '路口塌了一米多，王小明说打13912345678',
      photos: [{ photoId, blur: [square] }],
    });
    expect(published.statusCode).toBe(200);
    expect(published.json().publicState).toBe('published');

    const item = (await board()).json().items.find((i: { id: string }) => i.id === id);
    expect(item).toMatchObject({ title: '路口塌陷', text: '路口塌了一米多，王某某说打[电话已隐去]' });
    expect(JSON.stringify(item)).not.toMatch(/13912345678|王小明|reporter/);
    expect(item.photos).toHaveLength(1);
    const publicCopy = await ctx.app.inject({ method: 'GET', url: item.photos[0].url });
    expect(publicCopy.statusCode).toBe(200);
    const original = (await world.cadre.get(`/api/cases/${id}/photos/${photoId}`)).rawPayload;
    const detail = async (image: Buffer, left: number, top: number) => {
      const grey = await sharp(image).extract({ left, top, width: 64, height: 64 }).toColourspace('b-w').raw().toBuffer();
      const mean = grey.reduce((sum, v) => sum + v, 0) / grey.length;
      return Math.sqrt(grey.reduce((sum, v) => sum + (v - mean) ** 2, 0) / grey.length);
    };
    // Where the square's detail was sharp, the public copy shows a smooth smear; the rest is untouched.
    expect(await detail(original, 168, 118)).toBeGreaterThan(80);
    expect(await detail(publicCopy.rawPayload, 168, 118)).toBeLessThan(15);
    expect(await detail(publicCopy.rawPayload, 500, 400)).toBeLessThan(5);
    // The original is never public.
    expect((await ctx.app.inject({ method: 'GET', url: `/api/cases/${id}/photos/${photoId}` })).statusCode).toBe(401);
  });

  it('keeps rejected reports and unchosen photos private, and refuses moderation of cases not on the board', async () => {
    const { id } = await report();
    const photoId = (await upload(world.villager, id, photo)).json().id;
    expect((await world.cadre.post(`/api/cases/${id}/moderation`, { decision: 'publish', photos: [] })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/public/cases/${id}/photos/${photoId}` })).statusCode).toBe(404);
    expect((await world.cadre.post(`/api/cases/${id}/moderation`, { decision: 'reject', note: '与事实不符' })).statusCode).toBe(200);
    const board = (await ctx.app.inject({ method: 'GET', url: `/api/public/villages/${world.tree.villageA.id}/exposure-board` })).json();
    expect(board.items.map((i: { id: string }) => i.id)).not.toContain(id);

    const voice = await report({ source: 'villagerVoice' });
    expect(voice.publicState).toBeNull();
    const refused = await world.cadre.post(`/api/cases/${voice.id}/moderation`, { decision: 'publish' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('not_on_exposure_board');
  });

  it('lists the villages for the public index without login', async () => {
    const villages = (await ctx.app.inject({ method: 'GET', url: '/api/public/villages' })).json().items;
    expect(villages.map((v: { name: string }) => v.name)).toEqual(['平地坝村', '另一村', '何家岩村']);
    expect(villages[0]).toMatchObject({ id: world.tree.villageA.id, townshipName: '黑水镇' });
  });

  it('shows public village matters without the phone numbers or the name written in their titles', async () => {
    await report({ source: 'villagerVoice', title: `${world.villagerName}反映水管爆了13912345678` });
    const affairs = await ctx.app.inject({ method: 'GET', url: `/api/public/villages/${world.tree.villageA.id}/affairs` });
    const titles = affairs.json().matters.items.map((m: { title: string }) => m.title);
    expect(titles).toContain('王某某反映水管爆了[电话已隐去]');
    expect(JSON.stringify(titles)).not.toMatch(/13912345678|王小明/);
  });
});
