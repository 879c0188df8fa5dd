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
    if (intOrReply(ctx.out, argv[1]!) === null) return;
    const timeout = parseInt64(argv[2]!.toString('latin1'));
    if (timeout === null) {
      ctx.out.error(ERR.timeoutNotInteger);
      return;
    }
    if (timeout < 0) {
      ctx.out.error(ERR.timeoutNegative);
      return;
    }
    // No replication yet: no replica has acknowledged anything. Redis answers at once when fewer
    // than one replica is asked for, and otherwise blocks for the timeout before answering 0;
    // Sluice cannot block a client here yet, so it answers 0 at once in every case.
    ctx.out.integer(0);
  },
} satisfies CommandSpec;
