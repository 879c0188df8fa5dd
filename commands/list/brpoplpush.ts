// BRPOPLPUSH: RPOPLPUSH that waits for an element when the source list is empty.

import type { CommandSpec } from '../types';
import { keysAt } from '../keyspecs';
import { deadlineOrReply } from './blocking';
import { blockingMove } from './bmove';

export const spec = {
  name: 'brpoplpush',
  arity: 4,
  flags: ['write', 'denyoom', 'noscript', 'blocking'],
  acl: ['write', 'list', 'slow', 'blocking'],
  keys: [1, 2, 1],
  keySpecs: [keysAt(1, ['RW', 'ACCESS', 'DELETE']), keysAt(2, ['RW', 'INSERT'])],
  summary: 'Moves the last element of a list to the head of another list and returns it, waiting for one when the source is empty.',
  since: '2.2.0',
  group: 'list',
  complexity: 'O(1)',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments',
  history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
  arguments: [
    { name: 'source', type: 'key', keySpecIndex: 0 },
    { name: 'destination', type: 'key', keySpecIndex: 1 },
    { name: 'timeout', type: 'double' },
  ],
  handler(ctx, argv) {
    const deadlineMs = deadlineOrReply(ctx, argv[3]!);
    if (deadlineMs === null) return;
    blockingMove(ctx, argv, 'right', 'left', deadlineMs);
  },
} satisfies CommandSpec;
