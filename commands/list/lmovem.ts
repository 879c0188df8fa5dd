// LMOVEM (Redis 8.10): LMOVE for several elements. Without options it moves one element and
// replies with a one-element array; nothing to move (or fewer than EXACTLY asks) is a null array.

import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { endsOrReply, moveManyArguments, moveManyKeys, moveManyOptionsOrReply, moveManyOrReply } from './movem';

export const spec = {
  name: 'lmovem',
  arity: -5,
  flags: ['write', 'denyoom'],
  acl: ['write', 'list', 'slow'],
  keys: [1, 2, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'DELETE']), keysAt(2, ['RW', 'INSERT'])],
  summary: 'Moves up to (or exactly) a number of elements from one end of a list to one end of another (or the same) list and returns them.',
  since: '8.10.0',
  group: 'list',
  complexity: 'O(N) where N is the number of elements moved.',
  arguments: moveManyArguments(false),
  handler(ctx, argv) {
    const ends = endsOrReply(ctx, argv);
    if (ends === null) return;
    const options = moveManyOptionsOrReply(ctx, argv, 5);
    if (options === null) return;
    const { from, to } = moveManyKeys(argv);
    // Redis 8.10.2 answers a null array whenever nothing moves (its docs say an empty array for a
    // missing source without EXACTLY; the server sends the null array).
    if (!moveManyOrReply(ctx, from, to, ends.whereFrom, ends.whereTo, options)) ctx.out.nullArray();
  },
} satisfies CommandSpec;
