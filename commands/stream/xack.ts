// XACK key group id...: drop the IDs from the group's PEL; replies with how many were pending.
// A missing key or group acknowledges nothing (0), before the IDs are even parsed, as in Redis;
// otherwise every ID is parsed first, so a bad one changes nothing.

import type { CommandSpec } from '../types';
import { type StreamId, formatParts } from '../../storage/stream';
import { commitStream, idOrReply, streamOrReply } from './common';
import { keysAt } from '../keyspecs';

export const spec = {
  name: 'xack',
  arity: -4,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'UPDATE'])],
  summary: "Acknowledges entries: removes them from a consumer group's pending entries list.",
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1) for each message ID processed.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'group', type: 'string' },
    { name: 'id', type: 'string', multiple: true },
  ],
  handler(ctx, argv) {
    const key = argv[1]!.toString('latin1');
    const groupName = argv[2]!.toString('latin1');
    const stream = streamOrReply(ctx, key, false);
    if (stream === null) return;
    const group = stream?.group(groupName);
    if (group === undefined) {
      ctx.out.integer(0);
      return;
    }
    const ids: StreamId[] = [];
    for (let i = 3; i < argv.length; i++) {
      const id = idOrReply(ctx.out, argv[i]!, 0, true);
      if (id === null) return;
      ids.push(id);
    }
    // Each pending ID once (an ID given twice is acknowledged once).
    const acked = new Set<string>();
    for (const id of ids) if (group.pending(id) !== undefined) acked.add(formatParts(id.ms, id.seq));
    if (acked.size > 0) commitStream(ctx, key, { op: 'xack', group: groupName, ids: [...acked] });
    ctx.out.integer(acked.size);
  },
} satisfies CommandSpec;
