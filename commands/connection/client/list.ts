import { keyword, parseInt64 } from '../../args';
import { ERR, cString } from '../../errors';
import type { ClientApi, CommandSpec } from '../../types';
import { clientType, clientTypeByName } from './common';

export const spec = {
  name: 'list',
  arity: -2,
  flags: ['admin', 'noscript', 'loading', 'stale', 'sentinel'],
  acl: ['admin', 'slow', 'dangerous', 'connection'],
  keys: [0, 0, 0],
  summary: 'Describes every connection, one line each, optionally only of one type or some IDs.',
  since: '2.4.0',
  group: 'connection',
  complexity: 'O(N) where N is the number of client connections',
  tips: ['nondeterministic_output'],
  arguments: [
    {
      name: 'normal_master_replica_pubsub',
      type: 'oneof',
      token: 'TYPE',
      optional: true,
      since: '5.0.0',
      arguments: [
        { name: 'normal', type: 'pure-token', token: 'NORMAL' },
        { name: 'master', type: 'pure-token', token: 'MASTER' },
        { name: 'replica', type: 'pure-token', token: 'REPLICA' },
        { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
      ],
    },
    {
      name: 'id',
      type: 'block',
      token: 'ID',
      optional: true,
      since: '6.2.0',
      arguments: [{ name: 'client-id', type: 'integer', multiple: true }],
    },
  ],
  history: [
    ['2.8.12', 'The unique id= field.'],
    ['5.0.0', 'The TYPE filter.'],
    ['6.0.0', 'The user= field.'],
    ['6.2.0', 'The argv-mem=, tot-mem=, laddr= and redir= fields, and the ID filter.'],
    ['7.0.0', 'The resp=, multi-mem=, rbs= and rbp= fields.'],
    ['7.0.3', 'The ssub= field.'],
    ['7.2.0', 'The lib-name= and lib-ver= fields.'],
  ],
  handler(ctx, argv) {
    const clients = [...ctx.server.clients()];
    let listed: ClientApi[];
    // One filter at most, as in Redis: TYPE <type>, or ID <id> [<id> ...].
    if (argv.length === 4 && keyword(argv[2]!) === 'type') {
      const type = clientTypeByName(argv[3]!);
      if (type === null) {
        ctx.out.error(ERR.unknownClientType(cString(argv[3]!)));
        return;
      }
      listed = clients.filter((c) => clientType(c) === type);
    } else if (argv.length > 3 && keyword(argv[2]!) === 'id') {
      // Listed in the order asked for; an unknown ID is simply skipped.
      listed = [];
      for (const arg of argv.slice(3)) {
        const id = parseInt64(arg.toString('latin1'));
        if (id === null) {
          ctx.out.error(ERR.invalidClientId);
          return;
        }
        const found = clients.find((c) => c.id === Number(id));
        if (found !== undefined) listed.push(found);
      }
    } else if (argv.length !== 2) {
      ctx.out.error(ERR.syntax);
      return;
    } else {
      listed = clients;
    }
    ctx.out.verbatim(listed.map((c) => c.describe() + '\n').join(''));
  },
} satisfies CommandSpec;
