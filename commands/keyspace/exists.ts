import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { peekKey } from './common';

export const spec = {
  name: 'exists',
  arity: -2,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  keys: [1, -1, 1],
  keySpecs: [keysAt(1, ['RO'], { lastkey: -1 })],
  summary: 'Counts how many of the given keys exist; a key named twice counts twice.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(N) where N is the number of keys to check.',
  history: [['3.0.3', 'Accepts multiple `key` arguments.']],
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0, multiple: true }],
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  handler(ctx, argv) {
    let count = 0;
    for (let i = 1; i < argv.length; i++) if (peekKey(ctx, keyOf(argv[i]!)) !== undefined) count++;
    ctx.out.integer(count);
  },
} satisfies CommandSpec;
