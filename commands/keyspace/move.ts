import { ERR } from '../errors';
import { keyOf } from '../args';
import { writeKey } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { dbIndexOrReply } from './common';

export const spec = {
  name: 'move',
  arity: 3,
  flags: ['write', 'fast'],
  acl: ['keyspace', 'write', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'UPDATE'])],
  summary: 'Moves a key (with its expiry) to another database, unless that database already has it.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'db', type: 'integer' },
  ],
  handler(ctx, argv) {
    const toDb = dbIndexOrReply(ctx, argv[2]!);
    if (toDb === null) return;
    const db = ctx.client.dbIndex;
    if (toDb === db) {
      ctx.out.error(ERR.sameObject);
      return;
    }
    const key = keyOf(argv[1]!);
    if (writeKey(ctx, key) === undefined || ctx.engine.touch(toDb, key, ctx.nowMs) !== undefined) {
      ctx.out.integer(0);
      return;
    }
    ctx.commit({ op: 'move', db, key, toDb });
    ctx.notify('generic', 'move_from', key, db);
    ctx.notify('generic', 'move_to', key, toDb);
    ctx.out.integer(1);
  },
} satisfies CommandSpec;
