import { ERR } from '../errors';
import type { CommandSpec } from '../types';
import { redact } from './identity';

const DEFAULT_USER = Buffer.from('default');

export const spec = {
  name: 'auth',
  arity: -2,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'],
  acl: ['fast', 'connection'],
  keys: [0, 0, 0],
  summary: 'Authenticates the connection as a user.',
  since: '1.0.0',
  group: 'connection',
  complexity: 'O(N) where N is the number of passwords defined for the user',
  arguments: [
    { name: 'username', type: 'string', optional: true, since: '6.0.0' },
    { name: 'password', type: 'string' },
  ],
  history: [['6.0.0', 'The username argument, for ACL users.']],
  handler(ctx, argv) {
    if (argv.length > 3) {
      ctx.out.error(ERR.syntax);
      return;
    }
    const username = argv.length === 3 ? argv[1]! : DEFAULT_USER;
    const password = argv[argv.length - 1]!;
    // Secrets never reach MONITOR or the slow log, whatever the outcome.
    redact(argv, 1);
    redact(argv, 2);
    // The one-argument form with no password configured is almost surely a mistake: say so.
    if (argv.length === 2 && ctx.server.acl.defaultUserHasNoPassword()) {
      ctx.out.error(ERR.authNotConfigured);
      return;
    }
    if (!ctx.server.acl.authenticate(ctx.client, username, password, argv[0]!)) {
      ctx.out.error(ERR.wrongPass);
      return;
    }
    ctx.out.ok();
  },
} satisfies CommandSpec;
