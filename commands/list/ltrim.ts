// LTRIM: Keeps only the elements of a list between two indexes, removing the rest.

import { keyOf } from '../args';
import type { CommandSpec } from '../types';
import { listFill, listOrReply, notifyElementsRemoved, longOrReply } from './common';

export const spec = {
  name: 'ltrim',
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
  summary: 'Keeps only the elements of a list between two indexes, removing the rest.',
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
  complexity: 'O(N) where N is the number of elements to be removed by the operation.',
  handler(ctx, argv) {
    const start = longOrReply(ctx.out, argv[2]!);
    if (start === null) return;
    const stop = longOrReply(ctx.out, argv[3]!);
    if (stop === null) return;
    const key = keyOf(argv[1]!);
    const list = listOrReply(ctx, key, true);
    if (list === null) return;
    if (list !== undefined) {
      ctx.commit({ op: 'ltrim', db: ctx.client.dbIndex, key, start, stop, fill: listFill(ctx) });
      notifyElementsRemoved(ctx, key, 'ltrim');
    }
    ctx.out.ok();
  },
} satisfies CommandSpec;
