import { aclSubcommand } from './common';

export const spec = aclSubcommand({
  name: 'list',
  arity: 2,
  admin: true,
  summary: 'Lists every user with its rules, in the ACL file format.',
  complexity: 'O(N). Where N is the number of configured users.',
  handler(ctx) {
    const lines = ctx.server.acl.describeUsers();
    ctx.out.array(lines.length);
    for (const line of lines) ctx.out.bulk(line);
  },
});
