import { aclSubcommand } from './common';

export const spec = aclSubcommand({
  name: 'save',
  arity: 2,
  admin: true,
  summary: 'Writes the users to the ACL file (atomically: a temporary file renamed over it).',
  complexity: 'O(N). Where N is the number of configured users.',
  handler(ctx) {
    const error = ctx.server.acl.save();
    if (error === null) ctx.out.ok();
    else ctx.out.error(error);
  },
});
