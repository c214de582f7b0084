import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as s from '../../db/schema.sqlite.js';
import { fastStatement } from '../../db/sqlite/fast-statement.js';
import { tempDb } from '../helpers/db.js';

describe('fastStatement', () => {
  const { sqlite, db } = tempDb();
  sqlite.pragma('foreign_keys = OFF');
  const p = sql.placeholder;
  const insert = fastStatement<{ id: number }>(
    sqlite,
    db
      .insert(s.caseEvents)
      .values({ caseId: p('caseId'), at: p('at'), type: 'created', messageRowId: p('messageRowId'), data: p('data') })
      .returning({ id: s.caseEvents.id })
      .prepare(),
  );

  it('encodes values the way the column does and reads back through drizzle unchanged', () => {
    const at = new Date('2026-11-25T03:00:00.123Z');
    const row = insert.get({ caseId: 7, at, messageRowId: null, data: { reason: 'thread', n: [1, 2] } });
    expect(row).toEqual({ id: expect.any(Number) });
    const back = db.select().from(s.caseEvents).all();
    expect(back).toEqual([{ id: row!.id, caseId: 7, at, type: 'created', messageRowId: null, data: { reason: 'thread', n: [1, 2] } }]);
    expect(sqlite.prepare('select typeof(at) t, typeof(message_row_id) m from case_events').get()).toEqual({ t: 'integer', m: 'null' });
  });

  it('null JSON is SQL NULL, not the string "null"', () => {
    insert.run({ caseId: 8, at: new Date(), messageRowId: 1, data: null });
    expect(sqlite.prepare('select typeof(data) t from case_events where case_id = 8').get()).toEqual({ t: 'null' });
  });

  it('a missing value is an error naming the placeholder', () => {
    expect(() => insert.run({ caseId: 9, at: new Date(), data: null })).toThrow('no value for placeholder "messageRowId"');
  });
});
