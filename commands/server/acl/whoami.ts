import { aclSubcommand } from './common';

export const spec = aclSubcommand({
  name: 'whoami',
  arity: 2,
  admin: false,
  summary: 'Returns the name of the user the connection is authenticated as.',
  complexity: 'O(1)',
  handler(ctx) {
    ctx.out.bulk(ctx.client.user);
  },
});
