// LSET: Replaces the element at an index of a list.

import { keyOf } from '../args';
import { ERR } from '../errors';
import type { CommandSpec } from '../types';
import { listFill, listOrReply, longOrReply } from './common';

export const spec = {
  name: 'lset',
  arity: 4,
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
        'UPDATE'
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
  summary: 'Replaces the element at an index of a list.',
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
    },
    {
      name: 'element',
      type: 'string'
    }
  ],
  complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
  handler(ctx, argv) {
    const key = keyOf(argv[1]!);
    const list = listOrReply(ctx, key, true);
    if (list === null) return;
    if (list === undefined) {
      ctx.out.error(ERR.noSuchKey);
      return;
    }
    const index = longOrReply(ctx.out, argv[2]!);
    if (index === null) return;
    if (index >= list.length || index < -list.length) {
      ctx.out.error(ERR.indexOutOfRange);
      return;
    }
    ctx.commit({ op: 'lset', db: ctx.client.dbIndex, key, index, element: argv[3]!.toString('latin1'), fill: listFill(ctx) });
    ctx.out.ok();
    ctx.notify('list', 'lset', key);
  },
} satisfies CommandSpec;
