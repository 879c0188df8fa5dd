import { keyword } from '../../args';
import { ERR } from '../../errors';
import type { CommandSpec } from '../../types';

export const spec = {
  name: 'reply',
  arity: 3,
  flags: ['noscript', 'loading', 'stale'],
  acl: ['slow', 'connection'],
  keys: [0, 0, 0],
  summary: 'Turns replies to this connection on or off, or skips the next one.',
  since: '3.2.0',
  group: 'connection',
  complexity: 'O(1)',
  arguments: [
    {
      name: 'on_off_skip',
      type: 'oneof',
      arguments: [
        { name: 'on', type: 'pure-token', token: 'ON' },
        { name: 'off', type: 'pure-token', token: 'OFF' },
        { name: 'skip', type: 'pure-token', token: 'SKIP' },
      ],
    },
  ],
  handler(ctx, argv) {
    // Dispatch drops the replies the mode says to drop, this command's own included: only ON
    // answers (+OK). SKIP changes nothing while replies are off.
    switch (keyword(argv[2]!)) {
      case 'on':
        ctx.client.replyMode = 'on';
        ctx.out.ok();
        return;
      case 'off':
        ctx.client.replyMode = 'off';
        return;
      case 'skip':
        if (ctx.client.replyMode !== 'off') ctx.client.replyMode = 'skip';
        return;
      default:
        ctx.out.error(ERR.syntax);
    }
  },
} satisfies CommandSpec;
