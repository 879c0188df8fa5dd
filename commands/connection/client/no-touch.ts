import { ERR } from '../../errors';
import type { CommandSpec } from '../../types';
import { onOff } from './common';

export const spec = {
  name: 'no-touch',
  arity: 3,
  flags: ['noscript', 'loading', 'stale'],
  acl: ['slow', 'connection'],
  keys: [0, 0, 0],
  summary: 'Makes the commands of this connection leave keys\' last-access time alone, or not.',
  since: '7.2.0',
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
    ctx.client.noTouch = enabled;
    ctx.out.ok();
  },
} satisfies CommandSpec;
