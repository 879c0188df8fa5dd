import { intOrReply, parseInt64 } from '../args';
import { ERR } from '../errors';
import type { CommandSpec } from '../types';

export const spec = {
  name: 'waitaof',
  arity: 4,
  flags: ['noscript'],
  acl: ['slow', 'connection'],
  keys: [0, 0, 0],
  summary:
    'Blocks until all of the preceding write commands sent by the connection are written to the append-only file of the master and/or replicas.',
  since: '7.2.0',
  group: 'generic',
  complexity: 'O(1)',
  tips: ['request_policy:all_shards', 'response_policy:agg_min'],
  arguments: [
    { name: 'numlocal', type: 'integer' },
    { name: 'numreplicas', type: 'integer' },
    { name: 'timeout', type: 'integer' },
  ],
  handler(ctx, argv) {
    const numlocal = intOrReply(ctx.out, argv[1]!);
    if (numlocal === null) return;
    if (numlocal < 0 || numlocal > 1) {
      ctx.out.error(ERR.intRange(0, 1));
      return;
    }
    const numreplicas = intOrReply(ctx.out, argv[2]!);
    if (numreplicas === null) return;
    if (numreplicas < 0) {
      ctx.out.error(ERR.notPositive);
      return;
    }
    const timeout = parseInt64(argv[3]!.toString('latin1'));
    if (timeout === null) {
      ctx.out.error(ERR.timeoutNotInteger);
      return;
    }
    if (timeout < 0) {
      ctx.out.error(ERR.timeoutNegative);
      return;
    }
    const replication = ctx.server.replication;
    if (replication.isReplica) {
      ctx.out.error(ERR.waitaofReplica);
      return;
    }
    if (numlocal > 0 && !ctx.server.persistence.waitAofLocalPossible()) {
      ctx.out.error(ERR.waitaofNoAof);
      return;
    }
    // Replicas: those whose log holds this connection's last write durably (REPLCONF ACK's FACK);
    // when fewer than asked, the client blocks until enough do or the timeout passes. Local: the
    // reply is held until an fdatasync covers every write made before it (this connection's
    // included), so 1 is true when the reply arrives.
    const error = replication.waitReplicas(ctx, 'waitaof', Number(numreplicas), Number(timeout), (replicas) => {
      const local = ctx.server.persistence.waitAofLocal(Number(numlocal));
      ctx.out.array(2);
      ctx.out.integer('local' in local ? local.local : 0);
      ctx.out.integer(replicas);
    });
    if (error !== null) ctx.out.error(error);
  },
} satisfies CommandSpec;
