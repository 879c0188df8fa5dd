import { keyOf } from '../args';
import { readKey } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'mget',
  arity: -2,
  flags: ['readonly', 'fast'],
  acl: ['read', 'string', 'fast'],
  keys: [1, -1, 1],
  keySpecs: [keysAt(1, ['RO', 'ACCESS'], { lastkey: -1 })],
  summary: 'Returns the strings stored at several keys.',
  since: '1.0.0',
  group: 'string',
  complexity: 'O(N) where N is the number of keys to retrieve.',
  tips: ['request_policy:multi_shard'],
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0, multiple: true }],
  handler(ctx, argv) {
    ctx.out.array(argv.length - 1);
    for (let i = 1; i < argv.length; i++) {
      // A key holding another type reads as nil here rather than failing the whole reply.
      const entry = readKey(ctx, keyOf(argv[i]!));
      if (entry === undefined || typeof entry.value !== 'string') ctx.out.nullBulk();
      else ctx.out.bulk(entry.value);
    }
  },
} satisfies CommandSpec;
