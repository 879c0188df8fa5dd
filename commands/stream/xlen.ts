// XLEN: the number of entries in a stream (0 for a missing key).

import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { streamOrReply } from './common';

export const spec = {
  name: 'xlen',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['read', 'stream', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RO'])],
  summary: 'Returns how many entries a stream holds.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1)',
  arguments: [{ name: 'key', type: 'key', keySpecIndex: 0 }],
  handler(ctx, argv) {
    const stream = streamOrReply(ctx, keyOf(argv[1]!), false);
    if (stream === null) return;
    ctx.out.integer(stream === undefined ? 0 : stream.length);
  },
} satisfies CommandSpec;
