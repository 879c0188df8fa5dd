import { keyOf } from '../args';
import { writeKey } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'persist',
  arity: 2,
  flags: ['write', 'fast'],
  acl: ['keyspace', 'write', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'UPDATE'])],
  summary: 'Removes the expiry of a key; replies 1 when it had one.',
  since: '2.2.0',
  group: 'generic',
  complexity: 'O(1)',
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
  handler(ctx, argv) {
    const key = keyOf(argv[1]!);
    const db = ctx.client.dbIndex;
    if (writeKey(ctx, key) === undefined || ctx.engine.dbs[db]!.expiryOf(key) === undefined) {
      ctx.out.integer(0);
      return;
    }
    ctx.commit({ op: 'persist', db, key });
    ctx.notify('generic', 'persist', key);
    ctx.out.integer(1);
  },
} satisfies CommandSpec;
