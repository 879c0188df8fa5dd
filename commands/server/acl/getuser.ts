import type { AclSelectorInfo, Reply } from '../../types';
import { aclSubcommand } from './common';

export const spec = aclSubcommand({
  name: 'getuser',
  arity: 3,
  admin: true,
  summary: "Shows a user's flags, password hashes and permissions, selector by selector.",
  complexity: 'O(N). Where N is the number of password, command and pattern rules that the user has.',
  arguments: [{ name: 'username', type: 'string' }],
  history: [
    ['6.2.0', 'Added Pub/Sub channel patterns.'],
    ['7.0.0', 'Added selectors and changed the format of key and channel patterns from a list to their rule representation.'],
  ],
  handler(ctx, argv) {
    const user = ctx.server.acl.getUser(argv[2]!.toString('latin1'));
    const out = ctx.out;
    if (user === null) return out.nullBulk();
    out.map(6);
    out.bulk('flags');
    out.set(user.flags.length);
    for (const flag of user.flags) out.bulk(flag);
    out.bulk('passwords');
    out.array(user.passwords.length);
    for (const hash of user.passwords) out.bulk(hash);
    writeSelector(out, user.root);
    out.bulk('selectors');
    out.array(user.selectors.length);
    for (const selector of user.selectors) {
      out.map(3);
      writeSelector(out, selector);
    }
  },
});

function writeSelector(out: Reply, selector: AclSelectorInfo): void {
  out.bulk('commands');
  out.bulk(selector.commands);
  out.bulk('keys');
  out.bulk(selector.keys);
  out.bulk('channels');
  out.bulk(selector.channels);
}
