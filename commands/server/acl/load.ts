import { aclSubcommand } from './common';

export const spec = aclSubcommand({
  name: 'load',
  arity: 2,
  admin: true,
  summary: 'Replaces the users with those of the ACL file (all of them, or none when the file has errors).',
  complexity: 'O(N). Where N is the number of configured users.',
  handler(ctx) {
    const error = ctx.server.acl.load();
    if (error === null) ctx.out.ok();
    else ctx.out.error(error);
  },
});
