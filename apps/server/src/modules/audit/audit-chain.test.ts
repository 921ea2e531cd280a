// Issue 13, item 5: audit you can prove. Records are sealed into one hash chain; the verifier
// recomputes it and names the first broken link; an audit record that cannot be written fails
// its action; the log is exported as CSV with its chain, and the export is audited.
// The chain is keyed (HMAC with a key outside the database) and its head is anchored outside the
// database (server log, backup manifest, GET /api/audit/head), so that neither a chain recomputed
// without the key nor one cut back with its head row moved passes.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, dialects, login, type Session, type TestContext } from '../../../test/build-test-app.ts';
import { buildTree, buildUser, PASSWORD, type Tree } from '../../../test/factories.ts';
import { createIdNumberVault } from '../../platform/id-number-vault.ts';
import * as chainRepo from './audit-chain.repository.ts';
import { type ChainHeadRef, formatHead, idFloorOf, parseHead, rowHashOf, sealAuditChain, verifyAuditChain } from './audit-chain.ts';

type World = { ctx: TestContext; tree: Tree; admin: Session; cadre: Session };

describe.each(dialects)('audit hash chain on %s', (dialect) => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.ctx.close();
    world = undefined;
  });

  // Each test tampers with its own database, so each builds its own world.
  async function buildWorld(): Promise<World> {
    const ctx = await buildTestApp(dialect);
    const tree = await buildTree(ctx.deps);
    const admin = await login(ctx.app, (await buildUser(ctx.deps, { role: 'auditAdmin', region: tree.county })).phone, PASSWORD);
    const cadre = await login(ctx.app, (await buildUser(ctx.deps, { role: 'villageCadre', region: tree.villageA })).phone, PASSWORD);
    world = { ctx, tree, admin, cadre };
    return world;
  }

  // One after another: households created at once on PostgreSQL can collide on their number
  // (household_number_taken), which is not what these tests are about.
  const addHouseholds = async ({ cadre, tree }: World, count: number, name = '链户') => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const response = await cadre.post('/api/org/households', { headName: `${name}${i}`, regionId: tree.groupA1.id });
      expect(response.statusCode).toBe(201);
      ids.push(response.json().id);
    }
    return ids;
  };

  const chainKey = ({ ctx }: World) => ctx.deps.vault.derivedKey('audit-chain');
  /** Seals, and returns how many records with the last head it logged (the copy off the machine). */
  const sealLogged = async (w: World) => {
    const heads: ChainHeadRef[] = [];
    const count = await sealAuditChain(w.ctx.deps.db, w.ctx.deps.now, chainKey(w), (head) => heads.push(head));
    return { count, head: heads.at(-1) };
  };
  const seal = async (w: World) => (await sealLogged(w)).count;
  const verify = (w: World, expectHead?: ChainHeadRef) => verifyAuditChain(w.ctx.deps.db, chainKey(w), { expectHead });
  const run = ({ ctx }: World, text: string) => sql.raw(text).execute(ctx.deps.db);

  /** The link of the audit record of `action` on `targetId`. */
  const linkOf = async ({ ctx }: World, action: string, targetId: string) =>
    (
      await sql<{ seq: number; id: string }>`select c.seq as seq, a.id as id from audit_log a
      join audit_chain c on c.audit_id = a.id where a.action = ${action} and a.target_id = ${targetId}`.execute(ctx.deps.db)
    ).rows[0] as { seq: number; id: string };

  // The tests stand in for someone with database rights who gets past the append-only triggers.
  const allowAuditChanges = (w: World) =>
    dialect === 'postgres'
      ? run(w, 'alter table audit_log disable trigger audit_log_append_only')
      : run(w, 'drop trigger audit_log_no_update').then(() => run(w, 'drop trigger audit_log_no_delete'));

  it('seals every audited write into one chain that verifies, and counts the tail not sealed yet', async () => {
    const w = await buildWorld();
    await addHouseholds(w, 5);
    expect(await seal(w)).toBeGreaterThan(5);
    const first = await verify(w);
    expect(first).toMatchObject({ ok: true, unsealed: 0, firstBroken: null });

    await addHouseholds(w, 3, '后来户');
    const before = await verify(w);
    expect(before).toMatchObject({ ok: true, verified: first.verified, unsealed: 3 });
    expect(await seal(w)).toBe(3);
    expect(await verify(w)).toMatchObject({ ok: true, verified: first.verified + 3, unsealed: 0 });
  });

  it('names a record changed after sealing as the first broken link, by seq and id', async () => {
    const w = await buildWorld();
    const [, middle] = await addHouseholds(w, 3);
    await seal(w);
    const link = await linkOf(w, 'household.create', middle as string);
    await allowAuditChanges(w);
    await run(w, `update audit_log set actor_role = 'countyAdmin' where id = '${link.id}'`);

    const verdict = await verify(w);
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken).toEqual({ seq: link.seq, auditId: link.id, reason: 'record_altered' });
    expect(verdict.verified).toBe(link.seq - 1);
  });

  it('finds a record deleted from the middle of the chain', async () => {
    const w = await buildWorld();
    const [, middle] = await addHouseholds(w, 3);
    await seal(w);
    const link = await linkOf(w, 'household.create', middle as string);
    await allowAuditChanges(w);
    await run(w, `delete from audit_log where id = '${link.id}'`);

    expect((await verify(w)).firstBroken).toEqual({ seq: link.seq, auditId: link.id, reason: 'record_missing' });
  });

  it('finds a link deleted with its record, and a chain cut short behind its head', async () => {
    const w = await buildWorld();
    const [, middle] = await addHouseholds(w, 3);
    await seal(w);
    const link = await linkOf(w, 'household.create', middle as string);
    await allowAuditChanges(w);
    await (dialect === 'postgres'
      ? run(w, 'alter table audit_chain disable trigger audit_chain_append_only')
      : run(w, 'drop trigger audit_chain_no_delete'));
    await run(w, `delete from audit_chain where seq = ${link.seq}`);
    await run(w, `delete from audit_log where id = '${link.id}'`);
    const next = (await verify(w)).firstBroken;
    expect(next).toMatchObject({ seq: link.seq + 1, reason: 'link_missing' });

    // Now cut the tail instead: every link from that seq on goes, the records with them.
    await run(w, `delete from audit_log where id in (select audit_id from audit_chain where seq > ${link.seq})`);
    await run(w, `delete from audit_chain where seq > ${link.seq}`);
    expect((await verify(w)).firstBroken).toMatchObject({ auditId: null, reason: 'head_mismatch' });
  });

  const allowChainChanges = (w: World) =>
    dialect === 'postgres'
      ? run(w, 'alter table audit_chain disable trigger audit_chain_append_only')
      : run(w, 'drop trigger audit_chain_no_update').then(() => run(w, 'drop trigger audit_chain_no_delete'));

  it('logs each new head, hands it to the audit administrator (audited), and verification needs the key', async () => {
    const w = await buildWorld();
    await addHouseholds(w, 3);
    const { count, head } = await sealLogged(w);
    expect(head?.seq).toBe(count);
    const response = await w.admin.get('/api/audit/head');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ seq: head?.seq, chainHash: head?.chainHash, head: formatHead(head as ChainHeadRef) });
    expect((await w.cadre.get('/api/audit/head')).statusCode).toBe(403);
    expect((await w.admin.get('/api/audit/entries?action=audit.head')).json().items).toHaveLength(1);
    expect(await verify(w, head)).toMatchObject({ ok: true });

    // Another installation's key, or a database copied elsewhere without its key, proves nothing.
    const otherKey = createIdNumberVault(randomBytes(32)).derivedKey('audit-chain');
    expect((await verifyAuditChain(w.ctx.deps.db, otherKey)).firstBroken).toMatchObject({ seq: 1, reason: 'link_altered' });
    expect(parseHead(formatHead(head as ChainHeadRef))).toEqual(head);
    for (const bad of ['75', '75:abc', `x:${'0'.repeat(64)}`, `75:${'G'.repeat(64)}`]) expect(parseHead(bad)).toBeUndefined();
  });

  it('catches the tail cut off with the head row moved back, given the head recorded outside (--expect-head)', async () => {
    const w = await buildWorld();
    const [, second] = await addHouseholds(w, 4);
    const { head: recorded } = await sealLogged(w);
    const cut = await linkOf(w, 'household.create', second as string);
    await allowAuditChanges(w);
    await allowChainChanges(w);
    await run(w, `delete from audit_log where id in (select audit_id from audit_chain where seq > ${cut.seq})`);
    await run(w, `delete from audit_chain where seq > ${cut.seq}`);
    await run(
      w,
      `update audit_chain_head set seq = ${cut.seq}, chain_hash = (select chain_hash from audit_chain where seq = ${cut.seq}),
       sealed_through_id = '${cut.id}' where id = 1`,
    );
    // The database alone cannot tell: this is the attack that passed before.
    expect(await verify(w)).toMatchObject({ ok: true, verified: cut.seq });
    expect((await verify(w, recorded)).firstBroken).toEqual({ seq: recorded?.seq, auditId: null, reason: 'expected_head_missing' });
  });

  it('catches a record rewritten with the chain recomputed by plain sha256, as the chain used to be', async () => {
    const w = await buildWorld();
    const [, middle] = await addHouseholds(w, 3);
    await seal(w);
    const link = await linkOf(w, 'household.create', middle as string);
    await allowAuditChanges(w);
    await allowChainChanges(w);
    await run(w, `update audit_log set actor_role = 'countyAdmin' where id = '${link.id}'`);
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const all = await chainRepo.linksAfter(w.ctx.deps.db, 0, 10_000);
    let prevHash = (all.find((l) => l.link.seq === link.seq - 1)?.link.chainHash ?? '0'.repeat(64)) as string;
    for (const { link: l, row } of all.filter((x) => x.link.seq >= link.seq)) {
      const rowHash = rowHashOf(row as chainRepo.StoredAuditRow);
      const chainHash = sha256(JSON.stringify([prevHash, l.seq, l.auditId, rowHash, l.sealedAt]));
      await run(
        w,
        `update audit_chain set row_hash = '${rowHash}', prev_hash = '${prevHash}', chain_hash = '${chainHash}' where seq = ${l.seq}`,
      );
      prevHash = chainHash;
    }
    await run(w, `update audit_chain_head set chain_hash = '${prevHash}' where id = 1`);

    expect((await verify(w)).firstBroken).toEqual({ seq: link.seq, auditId: link.id, reason: 'link_altered' });
  });

  it('catches a chain rebuilt with the right key after a record was deleted before the recorded head', async () => {
    const w = await buildWorld();
    const [, middle] = await addHouseholds(w, 3);
    const { head: recorded } = await sealLogged(w);
    const gone = await linkOf(w, 'household.create', middle as string);
    await allowAuditChanges(w);
    await allowChainChanges(w);
    // Someone holding the database and the key: delete a record, throw the chain away, seal anew.
    await run(w, `delete from audit_log where id = '${gone.id}'`);
    await run(w, 'delete from audit_chain');
    await run(w, `update audit_chain_head set seq = 0, chain_hash = '${'0'.repeat(64)}', sealed_through_id = null where id = 1`);
    await seal(w);
    expect(await verify(w)).toMatchObject({ ok: true });
    expect((await verify(w, recorded)).firstBroken).toEqual({ seq: recorded?.seq, auditId: null, reason: 'expected_head_missing' });

    // Padded back to the same length with a new record, the link at that seq is another one.
    await addHouseholds(w, 1, '补位户');
    await seal(w);
    expect((await verify(w, recorded)).firstBroken).toMatchObject({ seq: recorded?.seq, reason: 'expected_head_mismatch' });
  });

  it('names a record slipped in later with an old id that the sealer will not place', async () => {
    const w = await buildWorld();
    await addHouseholds(w, 2);
    await seal(w);
    // Made by hand: uuidv7() never goes back in time within a process.
    const forged = `${idFloorOf(w.ctx.deps.now() - 86_400_000)}-7000-8000-000000000000`;
    await run(
      w,
      `insert into audit_log (id, at, actor_user_id, actor_role, action, outcome, target_type, target_id, region_id, ip, request_id, details)
       values ('${forged}', ${w.ctx.deps.now() - 86_400_000}, null, 'system', 'household.delete', 'ok', null, null, null, null, null, null)`,
    );
    expect(await seal(w)).toBe(0);
    expect((await verify(w)).firstBroken).toEqual({ seq: null, auditId: forged, reason: 'never_sealed' });
  });

  it('keeps one linear chain when 20 audited writes and two sealers run at once', async () => {
    const w = await buildWorld();
    const households = await addHouseholds(w, 20, '并发户');
    await seal(w);
    const [updates] = await Promise.all([
      Promise.all(households.map((id, i) => w.cadre.patch(`/api/org/households/${id}`, { address: `一组${i}号` }))),
      seal(w),
      seal(w),
    ]);
    for (const response of updates) expect(response.statusCode).toBe(200);
    await Promise.all([seal(w), seal(w)]);
    const verdict = await verify(w);
    expect(verdict).toMatchObject({ ok: true, unsealed: 0 });
    const counts = await sql<{ records: number; links: number; top: number }>`select
      (select count(*) from audit_log) as records, (select count(*) from audit_chain) as links,
      (select max(seq) from audit_chain) as top`.execute(w.ctx.deps.db);
    const row = counts.rows[0] as { records: number; links: number; top: number };
    expect([Number(row.links), Number(row.top), verdict.verified]).toEqual([Number(row.records), Number(row.records), Number(row.records)]);
    for (const id of households) expect((await linkOf(w, 'household.update', id)).seq).toBeGreaterThan(0);
  });

  it('fails the action when its audit record cannot be written, and leaves nothing of it', async () => {
    const w = await buildWorld();
    if (dialect === 'postgres') {
      await run(
        w,
        `create function refuse_household_audit() returns trigger language plpgsql as $$
         begin if new.action = 'household.create' then raise exception 'audit store down'; end if; return new; end $$`,
      );
      await run(
        w,
        'create trigger refuse_household_audit before insert on audit_log for each row execute function refuse_household_audit()',
      );
    } else {
      await run(
        w,
        `create trigger refuse_household_audit before insert on audit_log when new.action = 'household.create'
         begin select raise(abort, 'audit store down'); end`,
      );
    }
    const response = await w.cadre.post('/api/org/households', { headName: '无痕户', regionId: w.tree.groupA1.id });
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe('internal_error');
    const left = await sql<{ n: number }>`select count(*) as n from households where head_name = ${'无痕户'}`.execute(w.ctx.deps.db);
    expect(Number(left.rows[0]?.n)).toBe(0);
  });

  it('exports a period as CSV with each record’s link, audits the export, and refuses others and bad periods', async () => {
    const w = await buildWorld();
    const [id] = await addHouseholds(w, 1, '导出户');
    await seal(w);
    const from = new Date(w.ctx.deps.now() - 3_600_000).toISOString();
    const to = new Date(w.ctx.deps.now() + 3_600_000).toISOString();
    const response = await w.admin.get(`/api/audit/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const lines = response.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    // Headed in the reader's language (Chinese when none); the values stay as the chain hashed them.
    expect(lines[0]).toBe('序号,链哈希,封存时间,记录号,时间,操作人ID,角色,操作,结果,对象类型,对象ID,区域ID,IP,请求号,详情');
    const line = lines.find((l) => l.includes(`household.create,ok,household,${id}`)) as string;
    const link = await linkOf(w, 'household.create', id as string);
    expect(line.split(',').slice(0, 2)).toEqual([String(link.seq), expect.stringMatching(/^[0-9a-f]{64}$/)]);

    const exports = (await w.admin.get('/api/audit/entries?action=audit.export')).json().items;
    expect(exports).toHaveLength(1);
    expect(exports[0].details).toMatchObject({ from, to, records: lines.length - 1 });
    const english = await w.admin.request({
      method: 'GET',
      url: `/api/audit/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(english.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'Seq,Chain hash,Sealed at,Record id,At,Actor id,Roles,Action,Outcome,Target type,Target id,Region id,IP,Request id,Details',
    );

    expect((await w.cadre.get(`/api/audit/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).statusCode).toBe(403);
    const backwards = await w.admin.get(`/api/audit/export?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`);
    expect([backwards.statusCode, backwards.json().error.code]).toEqual([400, 'audit_export_range']);
    expect((await w.admin.get(`/api/audit/export?from=${encodeURIComponent(from)}`)).statusCode).toBe(400);
  });

  it('refuses the export when the export itself cannot be audited', async () => {
    const w = await buildWorld();
    if (dialect === 'postgres') {
      await run(
        w,
        `create function refuse_export_audit() returns trigger language plpgsql as $$
         begin if new.action = 'audit.export' then raise exception 'audit store down'; end if; return new; end $$`,
      );
      await run(w, 'create trigger refuse_export_audit before insert on audit_log for each row execute function refuse_export_audit()');
    } else {
      await run(
        w,
        `create trigger refuse_export_audit before insert on audit_log when new.action = 'audit.export'
         begin select raise(abort, 'audit store down'); end`,
      );
    }
    const from = new Date(w.ctx.deps.now() - 3_600_000).toISOString();
    const to = new Date(w.ctx.deps.now() + 3_600_000).toISOString();
    const response = await w.admin.get(`/api/audit/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('household');
  });
});
