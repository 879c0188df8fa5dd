import { parseInt64 } from '../../args';
import { ERR, cString } from '../../errors';
import type { CommandSpec } from '../../types';

/** Entries returned when no count is given. */
const DEFAULT_COUNT = 10;

export const spec = {
  name: 'get',
  arity: -2,
  flags: ['admin', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Returns the newest slow log entries.',
  since: '2.2.12',
  group: 'server',
  complexity: 'O(N) where N is the number of entries returned',
  tips: ['request_policy:all_nodes', 'nondeterministic_output'],
  arguments: [{ name: 'count', type: 'integer', optional: true }],
  history: [['4.0.0', 'Entries carry the client\'s address and name.']],
  handler(ctx, argv) {
    if (argv.length > 3) {
      ctx.out.error(ERR.subcommandSyntax(cString(argv[1]!), 'SLOWLOG'));
      return;
    }
    const entries = ctx.server.slowlog.entries();
    let count = DEFAULT_COUNT;
    if (argv.length === 3) {
      const asked = parseInt64(argv[2]!.toString('latin1'));
      if (asked === null || asked < -1) {
        ctx.out.error(ERR.slowlogCount);
        return;
      }
      // -1 asks for the whole log.
      count = asked === -1 ? entries.length : Number(asked);
    }
    const shown = entries.slice(0, count);
    // Each entry: id, unix time, duration in µs, arguments, client address, client name.
    ctx.out.array(shown.length);
    for (const entry of shown) {
      ctx.out.array(6);
      ctx.out.integer(entry.id);
      ctx.out.integer(entry.timeSec);
      ctx.out.integer(entry.durationUs);
      ctx.out.array(entry.argv.length);
      for (const arg of entry.argv) ctx.out.bulk(arg);
      ctx.out.bulk(entry.addr);
      ctx.out.bulk(entry.name);
    }
  },
} satisfies CommandSpec;
