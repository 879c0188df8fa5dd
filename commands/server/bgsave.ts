import { keyword } from '../args';
import { ERR } from '../errors';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'bgsave',
  arity: -1,
  flags: ['admin', 'noscript', 'no_async_loading'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Asynchronously saves the database(s) to disk.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(1)',
  history: [['3.2.2', 'Added the `SCHEDULE` option.']],
  arguments: [{ name: 'schedule', type: 'pure-token', token: 'SCHEDULE', optional: true, since: '3.2.2' }],
  handler(ctx, argv) {
    if (argv.length > 2 || (argv.length === 2 && keyword(argv[1]!) !== 'schedule')) {
      ctx.out.error(ERR.syntax);
      return;
    }
    const result = ctx.server.persistence.bgsave(argv.length === 2);
    if ('error' in result) ctx.out.error(result.error);
    else ctx.out.simple(result.ok);
  },
} satisfies CommandSpec;
