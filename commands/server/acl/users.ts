import { aclSubcommand } from './common';

export const spec = aclSubcommand({
  name: 'users',
  arity: 2,
  admin: true,
  summary: 'Lists the usernames.',
  complexity: 'O(N). Where N is the number of configured users.',
  handler(ctx) {
    const names = ctx.server.acl.userNames();
    ctx.out.array(names.length);
    for (const name of names) ctx.out.bulk(name);
  },
});
