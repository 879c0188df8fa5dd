import { aclSubcommand } from './common';

export const spec = aclSubcommand({
  name: 'dryrun',
  arity: -4,
  admin: true,
  since: '7.0.0',
  summary: "Tells whether a user could run a command with given arguments, without running it.",
  complexity: 'O(1).',
  arguments: [
    { name: 'username', type: 'string' },
    { name: 'command', type: 'string' },
    { name: 'arg', type: 'string', optional: true, multiple: true },
  ],
  handler(ctx, argv) {
    const result = ctx.server.acl.dryRun(argv[2]!.toString('latin1'), argv.slice(3));
    if ('ok' in result) ctx.out.ok();
    else if ('denied' in result) ctx.out.bulk(result.denied);
    else ctx.out.error(result.error);
  },
});
