import { keyword, parseInt64 } from '../args';
import { ERR } from '../errors';
import type { ArgSpec, CommandSpec, Handler } from '../types';

const ARGUMENTS: readonly ArgSpec[] = [
  {
    name: 'args',
    type: 'oneof',
    arguments: [
      {
        name: 'host-port',
        type: 'block',
        arguments: [
          { name: 'host', type: 'string' },
          { name: 'port', type: 'integer' },
        ],
      },
      {
        name: 'no-one',
        type: 'block',
        arguments: [
          { name: 'no', type: 'pure-token', token: 'NO' },
          { name: 'one', type: 'pure-token', token: 'ONE' },
        ],
      },
    ],
  },
];

/** REPLICAOF host port | NO ONE (and SLAVEOF, its old name). */
const handler: Handler = (ctx, argv) => {
  if (keyword(argv[1]!) === 'no' && keyword(argv[2]!) === 'one') {
    ctx.out.ok();
    ctx.server.replication.replicaOf(null);
    return;
  }
  const port = parseInt64(argv[2]!.toString('latin1'));
  if (port === null || port < 0 || port > 65535) {
    ctx.out.error(ERR.invalidMasterPort);
    return;
  }
  const result = ctx.server.replication.replicaOf({ host: argv[1]!.toString('latin1'), port: Number(port) });
  if ('error' in result) ctx.out.error(result.error);
  else ctx.out.simple(result.ok);
};

export const specs = [
  {
    name: 'replicaof',
    arity: 3,
    flags: ['admin', 'noscript', 'stale', 'no_async_loading'],
    acl: ['admin', 'slow', 'dangerous'],
    keys: [0, 0, 0],
    summary: 'Make the server a replica of another instance, or promote it as master.',
    since: '5.0.0',
    group: 'server',
    complexity: 'O(1)',
    arguments: ARGUMENTS,
    handler,
  },
  {
    name: 'slaveof',
    arity: 3,
    flags: ['admin', 'noscript', 'stale', 'no_async_loading'],
    acl: ['admin', 'slow', 'dangerous'],
    keys: [0, 0, 0],
    summary: 'Make the server a replica of another instance, or promote it as master.',
    since: '1.0.0',
    group: 'server',
    complexity: 'O(1)',
    docFlags: ['deprecated'],
    deprecatedSince: '5.0.0',
    replacedBy: '`REPLICAOF`',
    arguments: ARGUMENTS,
    handler,
  },
] satisfies CommandSpec[];
