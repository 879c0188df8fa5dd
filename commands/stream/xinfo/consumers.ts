// XINFO CONSUMERS key group: each consumer's name, pending count, idle (ms since it was last seen)
// and inactive (ms since it last got entries, -1 if never), Redis 7.2's four fields.

import { ERR } from '../../errors';
import type { CommandSpec } from '../../types';
import { cText, idleSince } from '../group-common';
import { xinfoStreamOrReply } from './common';
import { keysAt } from '../../keyspecs';

export const spec = {
  name: 'consumers',
  arity: 4,
  flags: ['readonly'],
  acl: ['read', 'stream', 'slow'],
  keys: [2, 2, 1],
  keySpecs: [keysAt(2, ['RO', 'ACCESS'])],
  summary: 'Lists the consumers of a consumer group with their pending count and idle times.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1)',
  history: [['7.2.0', 'Added the `inactive` field, and changed the meaning of `idle`.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'groupname', type: 'string' },
  ],
  tips: ['nondeterministic_output'],
  handler(ctx, argv) {
    const key = argv[2]!.toString('latin1');
    const stream = xinfoStreamOrReply(ctx, key);
    if (stream === null) return;
    const groupName = argv[3]!.toString('latin1');
    const group = stream.group(groupName);
    if (group === undefined) {
      ctx.out.error(ERR.noGroup(cText(groupName), cText(key)));
      return;
    }
    const out = ctx.out;
    const now = ctx.nowMs;
    const consumers = group.consumersInOrder();
    out.array(consumers.length);
    for (const consumer of consumers) {
      out.map(4);
      out.bulk('name');
      out.bulk(consumer.name);
      out.bulk('pending');
      out.integer(consumer.pel.size);
      out.bulk('idle');
      out.integer(idleSince(now, consumer.seenTimeMs));
      out.bulk('inactive');
      out.integer(consumer.activeTimeMs === -1 ? -1 : now - consumer.activeTimeMs);
    }
  },
} satisfies CommandSpec;
