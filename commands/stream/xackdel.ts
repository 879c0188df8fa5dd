// XACKDEL (Redis 8.2): XACK and XDEL in one step. Each ID pending in the group is acknowledged,
// then its entry deleted as the policy allows (KEEPREF, the default, DELREF or ACKED: see
// RefPolicy in common.ts). One result per ID: -1 not pending in the group, 1 acknowledged and
// deleted (also when the entry was already gone), 2 acknowledged but kept because another group
// still references it (ACKED).
//
// Redis's order: the type, then the options, then a missing key or group (all -1, the IDs
// unchecked), then the IDs.

import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { type StreamId, formatParts } from '../../storage/stream';
import { commitStream, dropReferenceChanges, IDS_ARGUMENT, idsOrReply, parseDeleteArgsOrReply, REF_POLICY_ARGUMENT, streamOrReply, writeAllNotFound } from './common';

/** XACKDEL's reply for one ID. */
const NOT_PENDING = -1;
const DELETED = 1;
const STILL_REFERENCED = 2;

export const spec = {
  name: 'xackdel',
  arity: -6,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'UPDATE', 'DELETE'])],
  summary: 'Acknowledges entries of a consumer group and deletes them from the stream, deciding what happens to other groups’ references.',
  since: '8.2.0',
  group: 'stream',
  complexity: 'O(1) for each entry ID processed.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'group', type: 'string' },
    REF_POLICY_ARGUMENT,
    IDS_ARGUMENT,
  ],
  handler(ctx, argv) {
    const key = keyOf(argv[1]!);
    const stream = streamOrReply(ctx, key, false);
    if (stream === null) return;
    const args = parseDeleteArgsOrReply(ctx, argv, 3);
    if (args === null) return;
    const groupName = argv[2]!.toString('latin1');
    const group = stream?.group(groupName);
    if (stream === undefined || group === undefined) {
      writeAllNotFound(ctx.out, args.idArgs.length);
      return;
    }
    const ids = idsOrReply(ctx.out, args.idArgs);
    if (ids === null) return;

    // Acknowledge first: whether an entry is still referenced is then judged without this group's
    // claim on it (acknowledging one ID never changes another's standing).
    const results: number[] = new Array(ids.length).fill(NOT_PENDING);
    const acked: StreamId[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const text = formatParts(id.ms, id.seq);
      if (seen.has(text) || !group.pel.has(id.ms, id.seq)) continue;
      seen.add(text);
      acked.push(id);
      results[i] = DELETED;
    }
    if (acked.length > 0) commitStream(ctx, key, { op: 'xack', group: groupName, ids: acked.map((id) => formatParts(id.ms, id.seq)) });

    const deletable: StreamId[] = [];
    for (let i = 0; i < ids.length; i++) {
      if (results[i] !== DELETED) continue;
      const id = ids[i]!;
      if (args.policy === 'acked' && !stream.ackedByAllGroups(id)) results[i] = STILL_REFERENCED;
      else deletable.push(id);
    }
    if (args.policy === 'delref') for (const change of dropReferenceChanges(stream, deletable)) commitStream(ctx, key, change);
    const deleted = deletable.filter((id) => stream.has(id));
    if (deleted.length > 0) commitStream(ctx, key, { op: 'xdel', ids: deleted.map((id) => formatParts(id.ms, id.seq)) });

    ctx.out.array(results.length);
    for (const r of results) ctx.out.integer(r);
    if (deleted.length > 0) ctx.notify('stream', 'xdel', key);
  },
} satisfies CommandSpec;
