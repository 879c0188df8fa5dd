import type { CommandSpec } from '../../types';

export const spec = {
  name: 'trackinginfo',
  arity: 2,
  flags: ['noscript', 'loading', 'stale'],
  acl: ['slow', 'connection'],
  keys: [0, 0, 0],
  summary: 'Describes the client-side caching state of this connection.',
  since: '6.2.0',
  group: 'connection',
  complexity: 'O(1)',
  handler(ctx) {
    // Sluice has no client-side caching: tracking is always off.
    const out = ctx.out;
    out.map(3);
    out.bulk('flags');
    out.set(1);
    out.bulk('off');
    out.bulk('redirect');
    out.integer(-1);
    out.bulk('prefixes');
    out.array(0);
  },
} satisfies CommandSpec;
