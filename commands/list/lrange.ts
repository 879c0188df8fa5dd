// LRANGE: Returns the elements of a list between two indexes, both included.

import { keyOf } from '../args';
import type { CommandSpec } from '../types';
import { listOrReply, longOrReply, replyElements } from './common';

export const spec = {
  name: 'lrange',
  arity: 4,
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
  summary: 'Returns the elements of a list between two indexes, both included.',
  since: '1.0.0',
  group: 'list',
  arguments: [
    {
      name: 'key',
      type: 'key',
      keySpecIndex: 0
    },
    {
      name: 'start',
      type: 'integer'
    },
    {
      name: 'stop',
      type: 'integer'
    }
  ],
  complexity: 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
  handler(ctx, argv) {
    const start = longOrReply(ctx.out, argv[2]!);
    if (start === null) return;
    const stop = longOrReply(ctx.out, argv[3]!);
    if (stop === null) return;
    const list = listOrReply(ctx, keyOf(argv[1]!), false);
    if (list === null) return;
    if (list === undefined) {
      ctx.out.array(0);
      return;
    }
    replyElements(ctx.out, list.range(start, stop));
  },
} satisfies CommandSpec;
