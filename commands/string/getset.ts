import { keyOf } from '../args';
import { readStringOrReply } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'getset',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'string', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'UPDATE'])],
  summary: 'Stores a string at a key and returns the value it replaced.',
  since: '1.0.0',
  group: 'string',
  complexity: 'O(1)',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`SET` with the `!GET` argument',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'value', type: 'string' },
  ],
  handler(ctx, argv) {
    const key = keyOf(argv[1]!);
    const old = readStringOrReply(ctx, key);
    if (old === null) return;
    if (old === undefined) ctx.out.nullBulk();
    else ctx.out.bulk(old);
    // Like a plain SET, the new value starts without a time to live.
    ctx.commit({ op: 'set', db: ctx.client.dbIndex, key, value: argv[2]!.toString('latin1'), expireAtMs: null });
    ctx.notify('string', 'set', key);
  },
} satisfies CommandSpec;
