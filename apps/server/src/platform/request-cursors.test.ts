// Crafted cursors against every list that pages: a cursor the server did not make is a 400,
// never a query that PostgreSQL or SQLite fails on (NaN, 1e308 and NUL once were 500s).
import { describe, expect, it } from 'vitest';
import { dialects, login, type Session, useTestApp } from '../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD } from '../../test/factories.ts';
import { insertRoleAssignment } from '../modules/org/users.repository.ts';
import { uuidv7 } from './ids.ts';

const encode = (text: string) => Buffer.from(text).toString('base64url');
const CRAFTED = [
  encode('[1e+308]'),
  encode('[1e+308,"x"]'),
  encode('["NaN","x"]'),
  encode('["NaN"]'),
  encode('[-1.5,"x"]'),
  encode('["a\\u0000b"]'),
  encode('[{"a":1}]'),
  encode('[]'),
  encode('[1,2,3,4,5,6,7,8]'),
  'NaN',
  '%00',
  '!!!not-base64!!!',
];

describe.each(dialects)('cursors on %s', (dialect) => {
  let admin: Session;
  let paged: string[];
  let tree: Awaited<ReturnType<typeof buildTree>>;

  const ctx = useTestApp(dialect, async () => {
    tree = await buildTree(ctx.deps);
    const user = await buildUser(ctx.deps, { role: 'countyAdmin', region: tree.county });
    // The prober reaches every list, the users' and the audit log's too: it holds the county's
    // duties beside its business, which the API refuses (duties_conflict) and the factory does not ask.
    for (const role of ['securityAdmin', 'auditAdmin'] as const) {
      await insertRoleAssignment(
        ctx.deps.db,
        { id: uuidv7(), userId: user.id, role, regionId: tree.county.id, gridId: null },
        ctx.deps.now(),
      );
    }
    admin = await login(ctx.app, user.phone, PASSWORD);
    const document = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
    };
    paged = Object.entries(document.paths)
      .filter(([, operations]) => operations.get?.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'))
      .map(([path]) => path.replace('{villageId}', tree.villageA.id).replace(/\{[A-Za-z]+\}/g, () => tree.villageA.id));
  });

  it('answers every crafted cursor on every paged list with 400 or an empty page, never 5xx', async () => {
    expect(paged.length).toBeGreaterThanOrEqual(8);
    const failures: string[] = [];
    for (const path of paged) {
      for (const cursor of CRAFTED) {
        const response = await admin.get(`${path}?cursor=${encodeURIComponent(cursor)}`);
        if (response.statusCode >= 500) failures.push(`${path} ${cursor} -> ${response.statusCode}`);
        // A list that took the cursor did so because the cursor fits its shape; otherwise 400.
        if (response.statusCode === 400) expect(response.json().error.code).toBe('validation_failed');
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a text where a time belongs in the case queue cursor', async () => {
    const response = await admin.get(`/api/cases/?view=region&cursor=${encode(JSON.stringify(['NaN', uuidv7()]))}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].field).toBe('query.cursor');
  });

  it('still pages with the cursors it made', async () => {
    for (let i = 0; i < 3; i++) await buildUser(ctx.deps, { role: 'gridWorker', region: tree.villageA });
    const first = (await admin.get('/api/org/users?limit=2')).json();
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await admin.get(`/api/org/users?limit=2&cursor=${first.nextCursor}`);
    expect(second.statusCode).toBe(200);
    expect(second.json().items[0].id).not.toBe(first.items[0].id);
  });
});
