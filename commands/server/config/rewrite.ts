import type { CommandSpec } from '../../types';

export const spec = {
  name: 'rewrite',
  arity: 2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Writes the running configuration back into the configuration file.',
  since: '2.8.0',
  group: 'server',
  complexity: 'O(1)',
  handler(ctx) {
    const error = ctx.server.configApi.rewrite();
    if (error !== null) ctx.out.error(error);
    else ctx.out.ok();
  },
} satisfies CommandSpec;
