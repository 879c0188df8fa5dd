// LMPOP: Pops one or more elements from the first non-empty list among several keys.

import type { CommandSpec } from '../types';
import { mpopArgsOrReply, popFirstOrReply } from './mpop';

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
    const args = mpopArgsOrReply(ctx, argv, 1);
    if (args === null) return;
    if (!popFirstOrReply(ctx, args.keys, args.where, args.count)) ctx.out.nullArray();
  },
} satisfies CommandSpec;
