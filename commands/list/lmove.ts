// LMOVE: Moves an element from one end of a list to one end of another (or the same) list and returns it.

import { keyOf } from '../args';
import type { CommandSpec } from '../types';
import { endOrReply, lmove } from './common';

export const spec = {
  name: 'lmove',
  arity: 5,
  flags: [
    'write',
    'denyoom'
  ],
  acl: [
    'write',
    'list',
    'slow'
  ],
  keys: [
    1,
    2,
    1
  ],
  keySpecs: [
    {
      flags: [
        'RW',
        'ACCESS',
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
    },
    {
      flags: [
        'RW',
        'INSERT'
      ],
      beginSearch: {
        type: 'index',
        index: 2
      },
      findKeys: {
        type: 'range',
        lastkey: 0,
        step: 1,
        limit: 0
      }
    }
  ],
  summary: 'Moves an element from one end of a list to one end of another (or the same) list and returns it.',
  since: '6.2.0',
  group: 'list',
  arguments: [
    {
      name: 'source',
      type: 'key',
      keySpecIndex: 0
    },
    {
      name: 'destination',
      type: 'key',
      keySpecIndex: 1
    },
    {
      name: 'wherefrom',
      type: 'oneof',
      arguments: [
        {
          name: 'left',
          type: 'pure-token',
          token: 'LEFT'
        },
        {
          name: 'right',
          type: 'pure-token',
          token: 'RIGHT'
        }
      ]
    },
    {
      name: 'whereto',
      type: 'oneof',
      arguments: [
        {
          name: 'left',
          type: 'pure-token',
          token: 'LEFT'
        },
        {
          name: 'right',
          type: 'pure-token',
          token: 'RIGHT'
        }
      ]
    }
  ],
  complexity: 'O(1)',
  handler(ctx, argv) {
    const whereFrom = endOrReply(ctx.out, argv[3]!);
    if (whereFrom === null) return;
    const whereTo = endOrReply(ctx.out, argv[4]!);
    if (whereTo === null) return;
    lmove(ctx, keyOf(argv[1]!), keyOf(argv[2]!), whereFrom, whereTo);
  },
} satisfies CommandSpec;
