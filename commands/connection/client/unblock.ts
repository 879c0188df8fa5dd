// CLIENT UNBLOCK <id> [TIMEOUT|ERROR]: end another client's blocking command, with its timeout
// reply or with -UNBLOCKED. :1 when that client was blocked, :0 otherwise.

import { keyword, parseInt64 } from '../../args';
import { ERR, cString } from '../../errors';
import type { CommandSpec } from '../../types';

export const spec = {
  name: 'unblock',
  arity: -3,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous', 'connection'],
  keys: [0, 0, 0],
  summary: 'Unblocks a client blocked by a blocking command from another connection.',
  since: '5.0.0',
  group: 'connection',
  complexity: 'O(log N) where N is the number of client connections',
  arguments: [
    { name: 'client-id', type: 'integer' },
    {
      name: 'timeout_error',
      type: 'oneof',
      optional: true,
      arguments: [
        { name: 'timeout', type: 'pure-token', token: 'TIMEOUT' },
        { name: 'error', type: 'pure-token', token: 'ERROR' },
      ],
    },
  ],
  handler(ctx, argv) {
    if (argv.length > 4) {
      ctx.out.error(ERR.subcommandSyntax(cString(argv[1]!), 'CLIENT'));
      return;
    }
    let how: 'timeout' | 'error' = 'timeout';
    // Redis checks the reason before the id.
    if (argv.length === 4) {
      const word = keyword(argv[3]!);
      if (word !== 'timeout' && word !== 'error') {
        ctx.out.error(ERR.unblockReason);
        return;
      }
      how = word;
    }
    const id = parseInt64(argv[2]!.toString('latin1'));
    if (id === null) {
      ctx.out.error(ERR.notInteger);
      return;
    }
    ctx.out.integer(typeof id === 'number' && ctx.server.unblockClient(id, how) ? 1 : 0);
  },
} satisfies CommandSpec;
