// BLMOVEM (Redis 8.10): LMOVEM that waits while the source is missing, or holds fewer elements
// than EXACTLY asks. A waiter for more elements than there are lets those behind it take them.

import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { blockOnLists, deadlineOrReply } from './blocking';
import { endsOrReply, moveManyArguments, moveManyKeys, moveManyOptionsOrReply, moveManyOrReply } from './movem';

export const spec = {
  name: 'blmovem',
  arity: -6,
  flags: ['write', 'denyoom', 'blocking'],
  acl: ['write', 'list', 'slow', 'blocking'],
  keys: [1, 2, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'DELETE']), keysAt(2, ['RW', 'INSERT'])],
  summary: 'Moves up to (or exactly) a number of elements from one list to another and returns them, waiting until the source holds them.',
  since: '8.10.0',
  group: 'list',
  complexity: 'O(N) where N is the number of elements moved.',
  arguments: moveManyArguments(true),
  handler(ctx, argv) {
    const ends = endsOrReply(ctx, argv);
    if (ends === null) return;
    const deadlineMs = deadlineOrReply(ctx, argv[5]!);
    if (deadlineMs === null) return;
    const options = moveManyOptionsOrReply(ctx, argv, 6);
    if (options === null) return;
    const { from, to } = moveManyKeys(argv);
    const attempt = () => moveManyOrReply(ctx, from, to, ends.whereFrom, ends.whereTo, options);
    if (attempt()) return;
    // Timed out, or inside EXEC: a null array, as for every list waiter.
    blockOnLists(ctx, [from], deadlineMs, attempt, () => ctx.out.nullArray(), options.exactly ? 'skip' : 'empty');
  },
} satisfies CommandSpec;
