// LREM: Removes occurrences of an element from a list, from the head, the tail, or everywhere.

import { keyOf } from '../args';
import type { CommandSpec } from '../types';
import { listFill, listOrReply, notifyElementsRemoved, longOrReply } from './common';

export const spec = {
  name: 'lrem',
  arity: 4,
  flags: [
    'write'
  ],
  acl: [
    'write',
    'list',
    'slow'
  ],
  keys: [
    1,
    1,
    1
  ],
  keySpecs: [
    {
      flags: [
        'RW',
        'DELETE'
      ],
      beginSearch: {
        type: 'index',
        index: 1
      },
      findKeys: {
        type: 'range',
        lastkey: 0,
        step: 1,
        limit: 0
      }
    }
  ],
  summary: 'Removes occurrences of an element from a list, from the head, the tail, or everywhere.',
  since: '1.0.0',
  group: 'list',
  arguments: [
    {
      name: 'key',
      type: 'key',
      keySpecIndex: 0
    },
    {
      name: 'count',
      type: 'integer'
    },
    {
      name: 'element',
      type: 'string'
    }
  ],
  complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
  handler(ctx, argv) {
    const count = longOrReply(ctx.out, argv[2]!);
    if (count === null) return;
    const key = keyOf(argv[1]!);
    const list = listOrReply(ctx, key, true);
    if (list === null) return;
    if (list === undefined) {
      ctx.out.integer(0);
      return;
    }
    const element = argv[3]!.toString('latin1');
    // Nothing matches: Redis changes nothing, so nothing is logged and WATCH sees no write.
    if (list.positions(element, { count: 1 }).length === 0) {
      ctx.out.integer(0);
      return;
    }
    const before = list.length;
    ctx.commit({ op: 'lrem', db: ctx.client.dbIndex, key, count, element, fill: listFill(ctx) });
    if (before !== list.length) notifyElementsRemoved(ctx, key, 'lrem');
    ctx.out.integer(before - list.length);
  },
} satisfies CommandSpec;
