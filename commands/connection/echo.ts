import type { CommandSpec } from '../types';

export const spec = {
  name: 'echo',
  arity: 2,
  flags: ['loading', 'stale', 'fast'],
  acl: ['fast', 'connection'],
  keys: [0, 0, 0],
  summary: 'Returns the given string.',
  since: '1.0.0',
  group: 'connection',
  complexity: 'O(1)',
  arguments: [{ name: 'message', type: 'string' }],
  handler(ctx, argv) {
    ctx.out.bulk(argv[1]!);
  },
} satisfies CommandSpec;
