import { intOrReply, parseInt64 } from '../args';
import { ERR } from '../errors';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'wait',
  arity: 3,
  flags: ['noscript'],
  acl: ['slow', 'connection'],
  keys: [0, 0, 0],
  summary: 'Waits until this connection\'s writes reach a number of replicas, or a timeout passes.',
  since: '3.0.0',
  group: 'generic',
  complexity: 'O(1)',
  tips: ['request_policy:all_shards', 'response_policy:agg_min'],
  arguments: [
    { name: 'numreplicas', type: 'integer' },
    { name: 'timeout', type: 'integer' },
  ],
  handler(ctx, argv) {
    const replication = ctx.server.replication;
    if (replication.isReplica) {
      ctx.out.error(ERR.waitReplica);
      return;
    }
    const numreplicas = intOrReply(ctx.out, argv[1]!);
    if (numreplicas === null) return;
    const timeout = parseInt64(argv[2]!.toString('latin1'));
    if (timeout === null) {
      ctx.out.error(ERR.timeoutNotInteger);
      return;
    }
    if (timeout < 0) {
      ctx.out.error(ERR.timeoutNegative);
      return;
    }
    // How many replicas acknowledged this connection's last write; when fewer than asked, the
    // client blocks until enough do or the timeout (ms, 0 = none) passes, and the reply comes then.
    const error = replication.waitReplicas(ctx, 'wait', Number(numreplicas), Number(timeout), (replicas) => ctx.out.integer(replicas));
    if (error !== null) ctx.out.error(error);
  },
} satisfies CommandSpec;
