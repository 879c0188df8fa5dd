// LLEN: Returns the number of elements in a list.

import { keyOf } from '../args';
import type { CommandSpec } from '../types';
import { listOrReply } from './common';

export const spec = {
  name: 'llen',
  arity: 2,
  flags: [
    'readonly',
    'fast'
  ],
  acl: [
    'read',
    'list',
    'fast'
  ],
  keys: [
    1,
    1,
    1
  ],
  keySpecs: [
    {
      flags: [
        'RO'
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
  summary: 'Returns the number of elements in a list.',
  since: '1.0.0',
  group: 'list',
  arguments: [
    {
      name: 'key',
      type: 'key',
      keySpecIndex: 0
    }
  ],
  complexity: 'O(1)',
  handler(ctx, argv) {
    const list = listOrReply(ctx, keyOf(argv[1]!), false);
    if (list === null) return;
    ctx.out.integer(list?.length ?? 0);
  },
} satisfies CommandSpec;
