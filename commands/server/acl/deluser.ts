import { aclSubcommand } from './common';

export const spec = aclSubcommand({
  name: 'deluser',
  arity: -3,
  admin: true,
  summary: 'Deletes ACL users and closes the connections authenticated as them.',
  complexity: 'O(1) amortized time considering the typical user.',
  arguments: [{ name: 'username', type: 'string', multiple: true }],
  handler(ctx, argv) {
    const names = argv.slice(2).map((a) => a.toString('latin1'));
    if (names.includes('default')) {
      ctx.out.error("ERR The 'default' user cannot be removed");
      return;
    }
    ctx.out.integer(ctx.server.acl.deleteUsers(names));
  },
});
