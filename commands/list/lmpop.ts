// LMPOP: Pops one or more elements from the first non-empty list among several keys.

import { keyOf, keyword } from '../args';
import { ERR } from '../errors';
import type { CommandSpec } from '../types';
import { atLeastOrReply, endOrReply, listFill, listOrReply, replyElements } from './common';

export const spec = {
  name: 'lmpop',
  arity: -4,
  flags: [
    'write',
    'movablekeys'
  ],
  acl: [
    'write',
    'list',
    'slow'
  ],
  keys: [
    0,
    0,
    0
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
        type: 'keynum',
        keynumidx: 0,
        firstkey: 1,
        step: 1
      }
    }
  ],
  summary: 'Pops one or more elements from the first non-empty list among several keys.',
  since: '7.0.0',
  group: 'list',
  arguments: [
    {
      name: 'numkeys',
      type: 'integer'
    },
    {
      name: 'key',
      type: 'key',
      keySpecIndex: 0,
      multiple: true
    },
    {
      name: 'where',
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
      name: 'count',
      type: 'integer',
      token: 'COUNT',
      optional: true
    }
  ],
  complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
  handler(ctx, argv) {
    const numkeys = atLeastOrReply(ctx.out, argv[1]!, 1, ERR.numkeysNotPositive);
    if (numkeys === null) return;
    const whereAt = 1 + numkeys + 1;
    if (whereAt >= argv.length) {
      ctx.out.error(ERR.syntax);
      return;
    }
    const where = endOrReply(ctx.out, argv[whereAt]!);
    if (where === null) return;
    let count = -1;
    for (let i = whereAt + 1; i < argv.length; i++) {
      const more = argv.length - 1 - i;
      if (count === -1 && keyword(argv[i]!) === 'count' && more > 0) {
        const n = atLeastOrReply(ctx.out, argv[++i]!, 1, ERR.countNotPositive);
        if (n === null) return;
        count = n;
      } else {
        ctx.out.error(ERR.syntax);
        return;
      }
    }
    if (count === -1) count = 1;
    for (let i = 2; i < whereAt; i++) {
      const key = keyOf(argv[i]!);
      const list = listOrReply(ctx, key, true);
      if (list === null) return;
      if (list === undefined || list.length === 0) continue;
      const n = Math.min(count, list.length);
      const elements = where === 'left' ? list.range(0, n - 1) : list.range(-n, -1).reverse();
      ctx.commit({ op: where === 'left' ? 'lpop' : 'rpop', db: ctx.client.dbIndex, key, count: n, fill: listFill(ctx) });
      ctx.out.array(2);
      ctx.out.bulk(key);
      replyElements(ctx.out, elements);
      return;
    }
    ctx.out.nullArray();
  },
} satisfies CommandSpec;
