// LPUSH: Prepend one or multiple elements to a list

import { keyOf } from '../args';
import type { CommandSpec } from '../types';
import { listFill, listOrReply } from './common';

export const spec = {
  name: 'lpush',
  arity: -3,
  flags: [
    'write',
    'denyoom',
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
  summary: 'Prepend one or multiple elements to a list',
  since: '1.0.0',
  group: 'list',
  arguments: [
    {
      name: 'key',
      type: 'key',
      keySpecIndex: 0
    },
    {
      name: 'element',
      type: 'string',
      multiple: true
    }
  ],
  complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  history: [
    [
      '2.4.0',
      'Accepts multiple `element` arguments.'
    ]
  ],
  handler(ctx, argv) {
    const key = keyOf(argv[1]!);
    const list = listOrReply(ctx, key, true);
    if (list === null) return;
    if (list === undefined && false) {
      ctx.out.integer(0);
      return;
    }
    const elements: string[] = new Array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) elements[i - 2] = argv[i]!.toString('latin1');
    const before = list?.length ?? 0;
    ctx.commit({ op: 'lpush', db: ctx.client.dbIndex, key, elements, fill: listFill(ctx) });
    ctx.out.integer(before + elements.length);
  },
} satisfies CommandSpec;
