// LINDEX: Returns the element at an index of a list (negative indexes count from the tail).

import { keyOf } from '../args';
import type { CommandSpec } from '../types';
import { listOrReply, longOrReply } from './common';

export const spec = {
  name: 'lindex',
  arity: 3,
  flags: [
    'readonly'
  ],
  acl: [
    'read',
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
        'RO',
        'ACCESS'
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
  summary: 'Returns the element at an index of a list (negative indexes count from the tail).',
  since: '1.0.0',
  group: 'list',
  arguments: [
    {
      name: 'key',
      type: 'key',
      keySpecIndex: 0
    },
    {
      name: 'index',
      type: 'integer'
    }
  ],
  complexity: 'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
  handler(ctx, argv) {
    const list = listOrReply(ctx, keyOf(argv[1]!), false);
    if (list === null) return;
    if (list === undefined) {
      ctx.out.nullBulk();
      return;
    }
    const index = longOrReply(ctx.out, argv[2]!);
    if (index === null) return;
    const element = list.index(index);
    if (element === undefined) ctx.out.nullBulk();
    else ctx.out.bulk(element);
  },
} satisfies CommandSpec;
