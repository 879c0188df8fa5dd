import { redact } from '../../connection/identity';
import { aclSubcommand } from './common';

export const spec = aclSubcommand({
  name: 'setuser',
  arity: -3,
  admin: true,
  summary: 'Creates a user or changes its rules; all rules apply, or none.',
  complexity: 'O(N). Where N is the number of rules provided.',
  arguments: [
    { name: 'username', type: 'string' },
    { name: 'rule', type: 'string', optional: true, multiple: true },
  ],
  history: [
    ['6.2.0', 'Added Pub/Sub channel patterns.'],
    ['7.0.0', 'Added selectors and key based permissions.'],
  ],
  handler(ctx, argv) {
    const name = argv[2]!.toString('latin1');
    const rules = argv.slice(3).map((a) => a.toString('latin1'));
    // Rules carry passwords: nothing of this command reaches MONITOR or the slow log.
    for (let j = 2; j < argv.length; j++) redact(argv, j);
    const error = ctx.server.acl.setUser(name, rules);
    if (error === null) ctx.out.ok();
    else ctx.out.error(error);
  },
});
