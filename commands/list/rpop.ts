// RPOP: Remove and get the last elements in a list

import { keyOf } from '../args';
import { ERR } from '../errors';
import type { CommandSpec } from '../types';
import { atLeastOrReply, listFill, listOrReply, replyElements } from './common';

export const spec = {
  name: 'rpop',
  arity: -2,
  flags: [
    'write',
    'fast'
  ],
  acl: [
    'write',
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
    }
  ],
  summary: 'Remove and get the last elements in a list',
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
      type: 'integer',
      since: '6.2.0',
      optional: true
    }
  ],
  complexity: 'O(N) where N is the number of elements returned',
  history: [
    [
      '6.2.0',
      'Added the `count` argument.'
    ]
  ],
  handler(ctx, argv) {
    if (argv.length > 3) {
      ctx.out.error(ERR.wrongArity('rpop'));
      return;
    }
    const hasCount = argv.length === 3;
    let count = 1;
    if (hasCount) {
      const n = atLeastOrReply(ctx.out, argv[2]!, 0, ERR.notPositive);
      if (n === null) return;
      count = n;
    }
    const key = keyOf(argv[1]!);
    const list = listOrReply(ctx, key, true);
    if (list === null) return;
    if (list === undefined) {
      if (hasCount) ctx.out.nullArray();
      else ctx.out.nullBulk();
      return;
    }
    if (hasCount && count === 0) {
      ctx.out.array(0);
      return;
    }
    const n = Math.min(count, list.length);
    const elements = list.range(-n, -1);
    if (true) elements.reverse();
    ctx.commit({ op: 'rpop', db: ctx.client.dbIndex, key, count: n, fill: listFill(ctx) });
    if (hasCount) replyElements(ctx.out, elements);
    else ctx.out.bulk(elements[0]!);
  },
} satisfies CommandSpec;
