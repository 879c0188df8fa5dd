import { keyword, parseInt64 } from '../args';
import { ERR } from '../errors';
import type { CommandSpec } from '../types';

/** Redis's NET_HOST_STR_LEN: an announced address must be shorter. */
const HOST_STR_LEN = 256;

export const spec = {
  name: 'replconf',
  arity: -1,
  flags: ['admin', 'noscript', 'loading', 'stale', 'allow_busy'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'An internal command for configuring the replication stream',
  since: '3.0.0',
  group: 'server',
  complexity: 'O(1)',
  docFlags: ['syscmd'],
  handler(ctx, argv) {
    // Every option has a value.
    if (argv.length % 2 === 0) {
      ctx.out.error(ERR.syntax);
      return;
    }
    const replication = ctx.server.replication;
    for (let i = 1; i < argv.length; i += 2) {
      const option = keyword(argv[i]!);
      const value = argv[i + 1]!.toString('latin1');
      switch (option) {
        case 'listening-port': {
          const port = parseInt64(value);
          if (port === null) {
            ctx.out.error(ERR.notInteger);
            return;
          }
          replication.replconfSet(ctx.client, 'listening-port', String(port));
          break;
        }
        case 'ip-address':
          if (argv[i + 1]!.length >= HOST_STR_LEN) {
            ctx.out.error(ERR.replconfIpTooLong(argv[i + 1]!.length));
            return;
          }
          replication.replconfSet(ctx.client, 'ip-address', value);
          break;
        case 'capa':
          replication.replconfSet(ctx.client, 'capa', value);
          break;
        case 'ack': {
          // From a replica, and never answered.
          const offset = parseInt64(value);
          if (offset === null) return;
          let aof: number | null = null;
          if (argv.length > i + 3 && keyword(argv[i + 2]!) === 'fack') {
            const parsed = parseInt64(argv[i + 3]!.toString('latin1'));
            if (parsed === null) return;
            aof = Number(parsed);
          }
          replication.replconfAck(ctx.client, Number(offset), aof);
          return;
        }
        case 'getack':
          // Meaningful only from a master to its replica, where it travels in the stream; never answered.
          return;
        case 'rdb-only':
        case 'rdb-filter-only':
          break;
        default:
          ctx.out.error(ERR.replconfUnknown(argv[i]!.toString('latin1')));
          return;
      }
    }
    ctx.out.ok();
  },
} satisfies CommandSpec;
