import { parseInt64 } from '../../args';
import { ERR } from '../../errors';
import { aclSubcommand, aclSyntaxError } from './common';

export const spec = aclSubcommand({
  name: 'log',
  arity: -2,
  admin: true,
  summary: 'Shows the latest ACL denials and failed logins (10 by default), or clears them.',
  complexity: 'O(N) with N being the number of entries shown.',
  arguments: [
    {
      name: 'operation',
      type: 'oneof',
      optional: true,
      arguments: [
        { name: 'count', type: 'integer' },
        { name: 'reset', type: 'pure-token', token: 'RESET' },
      ],
    },
  ],
  handler(ctx, argv) {
    if (argv.length > 3) return aclSyntaxError(ctx.out, argv);
    let count = 10;
    if (argv.length === 3) {
      const arg = argv[2]!.toString('latin1');
      if (arg.toLowerCase() === 'reset') {
        ctx.server.acl.resetLog();
        return ctx.out.ok();
      }
      const parsed = parseInt64(arg);
      if (parsed === null) return ctx.out.error(ERR.notInteger);
      count = parsed < 0 ? 0 : Number(parsed);
    }
    const entries = ctx.server.acl.logEntries(count, ctx.nowMs);
    const out = ctx.out;
    out.array(entries.length);
    for (const e of entries) {
      out.map(10);
      out.bulk('count');
      out.integer(e.count);
      out.bulk('reason');
      out.bulk(e.reason);
      out.bulk('context');
      out.bulk(e.context);
      out.bulk('object');
      out.bulk(e.object);
      out.bulk('username');
      out.bulk(e.username);
      out.bulk('age-seconds');
      out.double(e.ageSeconds);
      out.bulk('client-info');
      out.bulk(e.clientInfo);
      out.bulk('entry-id');
      out.integer(e.entryId);
      out.bulk('timestamp-created');
      out.integer(e.timestampCreated);
      out.bulk('timestamp-last-updated');
      out.integer(e.timestampLastUpdated);
    }
  },
});
