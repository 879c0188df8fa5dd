import { ERR } from '../../errors';
import type { CommandSpec } from '../../types';

export const spec = {
  name: 'caching',
  arity: 3,
  flags: ['noscript', 'loading', 'stale'],
  acl: ['slow', 'connection'],
  keys: [0, 0, 0],
  summary: 'Says whether keys read by the next command should be tracked (OPTIN/OPTOUT tracking).',
  since: '6.0.0',
  group: 'connection',
  complexity: 'O(1)',
  arguments: [
    {
      name: 'mode',
      type: 'oneof',
      arguments: [
        { name: 'yes', type: 'pure-token', token: 'YES' },
        { name: 'no', type: 'pure-token', token: 'NO' },
      ],
    },
  ],
  handler(ctx) {
    // Tracking can never be on in Sluice, which is the first thing Redis checks.
    ctx.out.error(ERR.clientCachingNotTracking);
  },
} satisfies CommandSpec;
