import { describe, expect, it } from 'vitest';
import { TableChanges, writesOf } from './table-changes.ts';

describe('what a statement writes', () => {
  it('names the table of an insert or an update, as Kysely and as we write them', () => {
    expect(writesOf('insert into "households" ("id") values (?)', false)).toEqual({ kind: 'table', table: 'households' });
    expect(writesOf('insert or ignore into care_readings (id) values (?)', false)).toEqual({ kind: 'table', table: 'care_readings' });
    expect(writesOf('  update "points_accounts" set "balance" = ?', false)).toEqual({ kind: 'table', table: 'points_accounts' });
    expect(writesOf('\n    insert into audit_log (id) values (?)', false)).toEqual({ kind: 'table', table: 'audit_log' });
  });

  it('counts a delete (which may cascade), a schema change or anything it cannot read as changing everything', () => {
    expect(writesOf('delete from "households" where "id" = ?', false)).toEqual({ kind: 'everything' });
    expect(writesOf('create table t (n integer)', false)).toEqual({ kind: 'everything' });
    expect(writesOf('with x as (select 1) insert into t select * from x', false)).toEqual({ kind: 'everything' });
  });

  it('passes reads', () => {
    expect(writesOf('select * from households', true)).toEqual({ kind: 'none' });
  });
});

describe('table change stamps', () => {
  it('move only when a change to one of the tables has settled', () => {
    const changes = new TableChanges();
    const before = changes.stamp(['households', 'people']);
    changes.noted({ kind: 'table', table: 'households' });
    expect(changes.stamp(['households', 'people'])).toBe(before);
    changes.settled();
    const after = changes.stamp(['households', 'people']);
    expect(after).toBeGreaterThan(before);
    expect(changes.stamp(['care_readings'])).toBe(before);

    changes.noted({ kind: 'table', table: 'care_readings' });
    changes.settled();
    expect(changes.stamp(['households', 'people'])).toBe(after);

    changes.noted({ kind: 'everything' });
    changes.settled();
    expect(changes.stamp(['households', 'people'])).toBeGreaterThan(after);
  });

  it('count a commit by another connection, seen in its data version, as changing everything', () => {
    let version = 7;
    const changes = new TableChanges(() => version);
    const first = changes.stamp(['households']);
    expect(changes.stamp(['households'])).toBe(first);
    version = 8;
    expect(changes.stamp(['households'])).toBeGreaterThan(first);
  });
});
