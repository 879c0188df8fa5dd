// XRANGE and XREVRANGE: one spec builder, as the two differ only in direction and in which of
// their ID arguments is the start (Redis's xrangeGenericCommand).

import { keyOf, keyword, parseInt64 } from '../args';
import { ERR } from '../errors';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { rangeOrReply, streamOrReply, writeRange } from './common';

export function rangeSpec(options: { readonly name: string; readonly reverse: boolean; readonly summary: string }): CommandSpec {
  const reverse = options.reverse;
  const bounds = [
    { name: 'start', type: 'string' },
    { name: 'end', type: 'string' },
  ] as const;
  return {
    name: options.name,
    arity: -4,
    flags: ['readonly'],
    acl: ['read', 'stream', 'slow'],
    keys: [1, 1, 1],
    keySpecs: [keysAt(1, ['RO', 'ACCESS'])],
    summary: options.summary,
    since: '5.0.0',
    group: 'stream',
    complexity: 'O(log N) to find the start, then O(M) for the M entries returned.',
    history: [['6.2.0', 'Added exclusive ranges.']],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      ...(reverse ? [bounds[1], bounds[0]] : bounds),
      { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    ],
    handler(ctx, argv) {
      const range = rangeOrReply(ctx.out, reverse ? argv[3]! : argv[2]!, reverse ? argv[2]! : argv[3]!);
      if (range === null) return;
      // -1: no COUNT; a negative COUNT counts as 0.
      let count = -1;
      for (let i = 4; i < argv.length; i++) {
        if (keyword(argv[i]!) === 'count' && i + 1 < argv.length) {
          const n = parseInt64(argv[++i]!.toString('latin1'));
          if (n === null) {
            ctx.out.error(ERR.notInteger);
            return;
          }
          count = n < 0 ? 0 : Number(n);
        } else {
          ctx.out.error(ERR.syntax);
          return;
        }
      }
      const stream = streamOrReply(ctx, keyOf(argv[1]!), false);
      if (stream === null) return;
      if (stream === undefined) {
        ctx.out.array(0);
        return;
      }
      if (count === 0) {
        ctx.out.nullArray();
        return;
      }
      writeRange(ctx.out, stream, range.start, range.end, count === -1 ? 0 : count, reverse);
    },
  };
}
