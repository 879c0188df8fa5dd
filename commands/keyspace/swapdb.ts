import { ERR } from '../errors';
import type { CommandSpec } from '../types';
import { intArgOrReply } from './common';

export const spec = {
  name: 'swapdb',
  arity: 3,
  flags: ['write', 'fast'],
  acl: ['keyspace', 'write', 'fast', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Exchanges the contents of two databases; clients stay on the index they selected.',
  since: '4.0.0',
  group: 'server',
  complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
  arguments: [
    { name: 'index1', type: 'integer' },
    { name: 'index2', type: 'integer' },
  ],
  handler(ctx, argv) {
    const first = intArgOrReply(ctx.out, argv[1]!, ERR.invalidFirstDbIndex);
    if (first === null) return;
    const second = intArgOrReply(ctx.out, argv[2]!, ERR.invalidSecondDbIndex);
    if (second === null) return;
    const count = ctx.engine.dbs.length;
    if (first < 0 || first >= count || second < 0 || second >= count) {
      ctx.out.error(ERR.dbIndexOutOfRange);
      return;
    }
    if (first !== second) ctx.commit({ op: 'swapdb', db: first, other: second });
    ctx.out.ok();
  },
} satisfies CommandSpec;
