import { ERR } from '../../errors';
import type { CommandSpec } from '../../types';
import { validClientAttr } from '../identity';

export const spec = {
  name: 'setname',
  arity: 3,
  flags: ['noscript', 'loading', 'stale', 'sentinel'],
  acl: ['slow', 'connection'],
  keys: [0, 0, 0],
  summary: 'Names this connection; an empty name removes it.',
  since: '2.6.9',
  group: 'connection',
  complexity: 'O(1)',
  arguments: [{ name: 'connection-name', type: 'string' }],
  handler(ctx, argv) {
    const name = argv[2]!;
    if (!validClientAttr(name)) {
      ctx.out.error(ERR.clientNameSpaces);
      return;
    }
    ctx.client.name = name.toString('latin1');
    ctx.out.ok();
  },
} satisfies CommandSpec;
