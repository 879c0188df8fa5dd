// XDELEX (Redis 8.2): XDEL with a say over consumer-group references (KEEPREF, the default,
// DELREF or ACKED: see RefPolicy in common.ts), and one result per ID: -1 not in the stream, 1
// deleted, 2 kept because a group still references it (ACKED). IDs come in an `IDS numids id...`
// block that may stand before or after the policy.

import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { type StreamId, formatParts } from '../../storage/stream';
import { commitStream, dropReferenceChanges, IDS_ARGUMENT, idsOrReply, parseDeleteArgsOrReply, REF_POLICY_ARGUMENT, streamOrReply, writeAllNotFound } from './common';

/** XDELEX's reply for one ID. */
const NOT_FOUND = -1;
const DELETED = 1;
const STILL_REFERENCED = 2;

export const spec = {
  name: 'xdelex',
  arity: -5,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'DELETE'])],
  summary: 'Deletes stream entries by ID, deciding what happens to consumer groups’ references to them.',
  since: '8.2.0',
  group: 'stream',
  complexity: 'O(log N) per ID, plus O(G) per ID for the G consumer groups with DELREF or ACKED.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    REF_POLICY_ARGUMENT,
    IDS_ARGUMENT,
  ],
  handler(ctx, argv) {
    // Redis's order: the type, then the options, then (the key existing) the IDs.
    const key = keyOf(argv[1]!);
    const stream = streamOrReply(ctx, key, true);
    if (stream === null) return;
    const args = parseDeleteArgsOrReply(ctx, argv, 2);
    if (args === null) return;
    if (stream === undefined) {
      writeAllNotFound(ctx.out, args.idArgs.length);
      return;
    }
    const ids = idsOrReply(ctx.out, args.idArgs);
    if (ids === null) return;
    const results: number[] = new Array(ids.length).fill(NOT_FOUND);
    const deleted: StreamId[] = [];
    const gone = new Set<string>();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (args.policy === 'acked' && !stream.ackedByAllGroups(id)) {
        results[i] = STILL_REFERENCED;
        continue;
      }
      const text = formatParts(id.ms, id.seq);
      if (gone.has(text) || !stream.has(id)) continue;
      gone.add(text);
      deleted.push(id);
      results[i] = DELETED;
    }
    // DELREF drops references to every ID given, whether its entry is still there or not.
    if (args.policy === 'delref') for (const change of dropReferenceChanges(stream, ids)) commitStream(ctx, key, change);
    if (deleted.length > 0) commitStream(ctx, key, { op: 'xdel', ids: deleted.map((id) => formatParts(id.ms, id.seq)) });
    ctx.out.array(results.length);
    for (const r of results) ctx.out.integer(r);
    if (deleted.length > 0) ctx.notify('stream', 'xdel', key);
  },
} satisfies CommandSpec;
