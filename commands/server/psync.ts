import { parseInt64 } from '../args';
import { ERR } from '../errors';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'psync',
  arity: -3,
  flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Internal command used for replication',
  since: '2.8.0',
  group: 'server',
  arguments: [
    { name: 'replicationid', type: 'string' },
    { name: 'offset', type: 'integer' },
  ],
  handler(ctx, argv) {
    const offset = parseInt64(argv[2]!.toString('latin1'));
    if (offset === null) {
      ctx.out.error(ERR.notInteger);
      return;
    }
    // +CONTINUE or +FULLRESYNC and the stream are sent by replication, after earlier replies.
    const error = ctx.server.replication.sync(ctx.client, argv[1]!.toString('latin1'), Number(offset));
    if (error !== null) ctx.out.error(error);
  },
} satisfies CommandSpec;
