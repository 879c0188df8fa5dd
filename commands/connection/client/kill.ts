import { keyword, parseInt64 } from '../../args';
import { ERR, cString } from '../../errors';
import type { ClientApi, CommandSpec, Ctx } from '../../types';
import { clientType, clientTypeByName, type ClientType } from './common';

/** The connections CLIENT KILL is asked to close; every given filter must match. */
interface KillFilter {
  addr?: string;
  laddr?: string;
  type?: ClientType;
  id?: number;
  user?: string;
  /** Only connections older than this many seconds (MAXAGE, Redis 7.4). */
  maxAgeSec?: number;
  /** Spare the connection sending the command (the default of the filter form). */
  skipMe: boolean;
}

export const spec = {
  name: 'kill',
  arity: -3,
  flags: ['admin', 'noscript', 'loading', 'stale', 'sentinel'],
  acl: ['admin', 'slow', 'dangerous', 'connection'],
  keys: [0, 0, 0],
  summary: 'Closes the connections that match a filter.',
  since: '2.4.0',
  group: 'connection',
  complexity: 'O(N) where N is the number of client connections',
  arguments: [
    {
      name: 'filter',
      type: 'oneof',
      arguments: [
        { name: 'ip:port', type: 'string', deprecatedSince: '2.8.12' },
        {
          name: 'new-format',
          type: 'oneof',
          multiple: true,
          arguments: [
            { name: 'client-id', type: 'integer', token: 'ID', optional: true, since: '2.8.12' },
            {
              name: 'normal_master_slave_pubsub',
              type: 'oneof',
              token: 'TYPE',
              optional: true,
              since: '2.8.12',
              arguments: [
                { name: 'normal', type: 'pure-token', token: 'NORMAL' },
                { name: 'master', type: 'pure-token', token: 'MASTER', since: '3.2.0' },
                { name: 'slave', type: 'pure-token', token: 'SLAVE' },
                { name: 'replica', type: 'pure-token', token: 'REPLICA', since: '5.0.0' },
                { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
              ],
            },
            { name: 'username', type: 'string', token: 'USER', optional: true },
            { name: 'ip:port', type: 'string', token: 'ADDR', optional: true },
            { name: 'ip:port', type: 'string', token: 'LADDR', optional: true, since: '6.2.0' },
            { name: 'yes/no', type: 'string', token: 'SKIPME', optional: true },
          ],
        },
      ],
    },
  ],
  history: [
    ['2.8.12', 'The filter form.'],
    ['2.8.12', 'The ID filter.'],
    ['3.2.0', 'TYPE master.'],
    ['5.0.0', 'TYPE replica, the new name of TYPE slave (still accepted).'],
    ['6.2.0', 'The LADDR filter.'],
  ],
  handler(ctx, argv) {
    // The old form, CLIENT KILL <addr>, may kill the sender and answers OK or an error.
    if (argv.length === 3) {
      const killed = killMatching(ctx, { addr: cString(argv[2]!), skipMe: false });
      if (killed === 0) ctx.out.error(ERR.noSuchClient);
      else ctx.out.ok();
      return;
    }
    const filter = parseFilterOrReply(ctx, argv);
    if (filter === null) return;
    ctx.out.integer(killMatching(ctx, filter));
  },
} satisfies CommandSpec;

/** The filter form: <option> <value> pairs, checked in order with Redis's errors. */
function parseFilterOrReply(ctx: Ctx, argv: readonly Buffer[]): KillFilter | null {
  const filter: KillFilter = { skipMe: true };
  for (let i = 2; i < argv.length; i += 2) {
    const option = keyword(argv[i]!);
    const value = argv[i + 1];
    if (value === undefined) {
      ctx.out.error(ERR.syntax);
      return null;
    }
    switch (option) {
      case 'id': {
        const id = parseInt64(value.toString('latin1'));
        if (id === null || id < 1) {
          ctx.out.error(ERR.clientIdNotPositive);
          return null;
        }
        filter.id = Number(id);
        break;
      }
      case 'type': {
        const type = clientTypeByName(value);
        if (type === null) {
          ctx.out.error(ERR.unknownClientType(cString(value)));
          return null;
        }
        filter.type = type;
        break;
      }
      case 'addr':
        filter.addr = cString(value);
        break;
      case 'laddr':
        filter.laddr = cString(value);
        break;
      case 'user':
        if (!ctx.server.acl.hasUser(value.toString('latin1'))) {
          ctx.out.error(ERR.noSuchUser(cString(value)));
          return null;
        }
        filter.user = value.toString('latin1');
        break;
      case 'skipme': {
        const word = keyword(value);
        if (word !== 'yes' && word !== 'no') {
          ctx.out.error(ERR.syntax);
          return null;
        }
        filter.skipMe = word === 'yes';
        break;
      }
      case 'maxage': {
        const age = parseInt64(value.toString('latin1'));
        if (age === null) {
          ctx.out.error(ERR.maxAgeNotInteger);
          return null;
        }
        if (age <= 0) {
          ctx.out.error(ERR.maxAgeNotPositive);
          return null;
        }
        filter.maxAgeSec = Number(age);
        break;
      }
      default:
        ctx.out.error(ERR.syntax);
        return null;
    }
  }
  return filter;
}

/** Close every matching connection; the sender itself goes only after its reply. */
function killMatching(ctx: Ctx, filter: KillFilter): number {
  let killed = 0;
  for (const client of [...ctx.server.clients()]) {
    if (!matches(ctx, client, filter)) continue;
    if (client.id === ctx.client.id) ctx.client.closeAfterReply();
    else ctx.server.killClient(client.id);
    killed++;
  }
  return killed;
}

function matches(ctx: Ctx, client: ClientApi, filter: KillFilter): boolean {
  if (filter.addr !== undefined && client.addr !== filter.addr) return false;
  if (filter.laddr !== undefined && client.laddr !== filter.laddr) return false;
  if (filter.type !== undefined && clientType(client) !== filter.type) return false;
  if (filter.id !== undefined && client.id !== filter.id) return false;
  if (filter.user !== undefined && client.user !== filter.user) return false;
  if (filter.maxAgeSec !== undefined && Math.floor((ctx.nowMs - client.createdAtMs) / 1000) <= filter.maxAgeSec) return false;
  if (filter.skipMe && client.id === ctx.client.id) return false;
  return true;
}
