import { parseInt64 } from '../args';
import { ERR } from '../errors';
import type { CommandSpec } from '../types';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

export const spec = {
  name: 'select',
  arity: 2,
  flags: ['loading', 'stale', 'fast'],
  acl: ['fast', 'connection'],
  keys: [0, 0, 0],
  summary: 'Changes the database this connection works on.',
  since: '1.0.0',
  group: 'connection',
  complexity: 'O(1)',
  arguments: [{ name: 'index', type: 'integer' }],
  handler(ctx, argv) {
    // Redis reads the index as a C int, with its two distinct errors.
    const index = parseInt64(argv[1]!.toString('latin1'));
    if (index === null) {
      ctx.out.error(ERR.notInteger);
      return;
    }
    if (typeof index === 'bigint' || index < INT_MIN || index > INT_MAX) {
      ctx.out.error(ERR.intRange(INT_MIN, INT_MAX));
      return;
    }
    if (index < 0 || index >= ctx.engine.dbs.length) {
      ctx.out.error(ERR.dbIndexOutOfRange);
      return;
    }
    ctx.client.dbIndex = index;
    ctx.out.ok();
  },
} satisfies CommandSpec;
