// LPOS: Returns the positions of elements equal to a value in a list.

import { keyOf, keyword, parseInt64 } from '../args';
import { ERR } from '../errors';
import type { CommandSpec } from '../types';
import { atLeastOrReply, listOrReply } from './common';

export const spec = {
  name: 'lpos',
  arity: -3,
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
  summary: 'Returns the positions of elements equal to a value in a list.',
  since: '6.0.6',
  group: 'list',
  arguments: [
    {
      name: 'key',
      type: 'key',
      keySpecIndex: 0
    },
    {
      name: 'element',
      type: 'string'
    },
    {
      name: 'rank',
      type: 'integer',
      token: 'RANK',
      optional: true
    },
    {
      name: 'num-matches',
      type: 'integer',
      token: 'COUNT',
      optional: true
    },
    {
      name: 'len',
      type: 'integer',
      token: 'MAXLEN',
      optional: true
    }
  ],
  complexity: 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
  handler(ctx, argv) {
    let rank = 1;
    let count: number | undefined;
    let maxlen = 0;
    for (let i = 3; i < argv.length; i++) {
      const option = keyword(argv[i]!);
      const more = argv.length - 1 - i;
      if (option === 'rank' && more > 0) {
        const value = parseInt64(argv[++i]!.toString('latin1'));
        if (value === null || value === -9223372036854775808n) {
          ctx.out.error(value === null ? ERR.notInteger : ERR.lposRankRange);
          return;
        }
        if (value === 0 || value === 0n) {
          ctx.out.error(ERR.lposRankZero);
          return;
        }
        rank = Number(value);
      } else if (option === 'count' && more > 0) {
        const value = atLeastOrReply(ctx.out, argv[++i]!, 0, ERR.lposCountNegative);
        if (value === null) return;
        count = value;
      } else if (option === 'maxlen' && more > 0) {
        const value = atLeastOrReply(ctx.out, argv[++i]!, 0, ERR.lposMaxlenNegative);
        if (value === null) return;
        maxlen = value;
      } else {
        ctx.out.error(ERR.syntax);
        return;
      }
    }
    const list = listOrReply(ctx, keyOf(argv[1]!), false);
    if (list === null) return;
    const found = list === undefined ? [] : list.positions(argv[2]!.toString('latin1'), { rank, count, maxlen });
    if (count !== undefined) {
      ctx.out.array(found.length);
      for (const at of found) ctx.out.integer(at);
    } else if (found.length === 0) ctx.out.nullBulk();
    else ctx.out.integer(found[0]!);
  },
} satisfies CommandSpec;
