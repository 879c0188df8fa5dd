import type { CommandSpec } from '../types';

export const spec = {
  name: 'reset',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  acl: ['fast', 'connection'],
  keys: [0, 0, 0],
  summary: 'Returns the connection to the state of a fresh one.',
  since: '6.2.0',
  group: 'connection',
  complexity: 'O(1)',
  handler(ctx) {
    // Leaves every mode (MULTI, pub/sub, MONITOR, CLIENT REPLY...), selects db 0, speaks RESP2
    // again and forgets the authentication when a password is set.
    ctx.client.reset();
    ctx.out.simple('RESET');
  },
} satisfies CommandSpec;
