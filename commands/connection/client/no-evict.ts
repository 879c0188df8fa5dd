import { ERR } from '../../errors';
import type { CommandSpec } from '../../types';
import { onOff } from './common';

export const spec = {
  name: 'no-evict',
  arity: 3,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous', 'connection'],
  keys: [0, 0, 0],
  summary: 'Exempts this connection from client eviction (maxmemory-clients), or not.',
  since: '7.0.0',
  group: 'connection',
  complexity: 'O(1)',
  arguments: [
    {
      name: 'enabled',
      type: 'oneof',
      arguments: [
        { name: 'on', type: 'pure-token', token: 'ON' },
        { name: 'off', type: 'pure-token', token: 'OFF' },
      ],
    },
  ],
  handler(ctx, argv) {
    const enabled = onOff(argv[2]!);
    if (enabled === null) {
      ctx.out.error(ERR.syntax);
      return;
    }
    ctx.client.noEvict = enabled;
    ctx.out.ok();
  },
} satisfies CommandSpec;
