// RPOPLPUSH: Moves the last element of a list to the head of another list and returns it.

import { keyOf } from '../args';
import type { CommandSpec } from '../types';
import { lmove } from './common';

export const spec = {
  name: 'rpoplpush',
  arity: 3,
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
  summary: 'Moves the last element of a list to the head of another list and returns it.',
  since: '1.2.0',
  group: 'list',
  docFlags: [
    'deprecated'
  ],
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
    }
  ],
  complexity: 'O(1)',
  deprecatedSince: '6.2.0',
  replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments',
  handler(ctx, argv) {
    const whereFrom = 'right';
    const whereTo = 'left';
    lmove(ctx, keyOf(argv[1]!), keyOf(argv[2]!), whereFrom, whereTo);
  },
} satisfies CommandSpec;
