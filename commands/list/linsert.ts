// LINSERT: Inserts an element before or after the first occurrence of a pivot element in a list.

import { keyOf, keyword } from '../args';
import { ERR } from '../errors';
import type { CommandSpec } from '../types';
import { listFill, listOrReply } from './common';

export const spec = {
  name: 'linsert',
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
    1,
    1
  ],
  keySpecs: [
    {
      flags: [
        'RW',
        'INSERT'
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
  summary: 'Inserts an element before or after the first occurrence of a pivot element in a list.',
  since: '2.2.0',
  group: 'list',
  arguments: [
    {
      name: 'key',
      type: 'key',
      keySpecIndex: 0
    },
    {
      name: 'where',
      type: 'oneof',
      arguments: [
        {
          name: 'before',
          type: 'pure-token',
          token: 'BEFORE'
        },
        {
          name: 'after',
          type: 'pure-token',
          token: 'AFTER'
        }
      ]
    },
    {
      name: 'pivot',
      type: 'string'
    },
    {
      name: 'element',
      type: 'string'
    }
  ],
  complexity: 'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
  handler(ctx, argv) {
    const word = keyword(argv[2]!);
    if (word !== 'before' && word !== 'after') {
      ctx.out.error(ERR.syntax);
      return;
    }
    const key = keyOf(argv[1]!);
    const list = listOrReply(ctx, key, true);
    if (list === null) return;
    if (list === undefined) {
      ctx.out.integer(0);
      return;
    }
    const pivot = argv[3]!.toString('latin1');
    if (list.positions(pivot).length === 0) {
      ctx.out.integer(-1);
      return;
    }
    ctx.commit({ op: 'linsert', db: ctx.client.dbIndex, key, where: word, pivot, element: argv[4]!.toString('latin1'), fill: listFill(ctx) });
    ctx.notify('list', 'linsert', key);
    ctx.out.integer(list.length);
  },
} satisfies CommandSpec;
