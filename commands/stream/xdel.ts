// XDEL: delete entries by ID; replies how many were there. The key is looked up before the IDs are
// parsed (a missing key answers 0 whatever the IDs), and every ID is checked before any is deleted.

import { keyOf } from '../args';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { type StreamId, formatParts } from '../../storage/stream';
import { commitStream, idOrReply, streamOrReply } from './common';

export const spec = {
  name: 'xdel',
  arity: -3,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'DELETE'])],
  summary: 'Deletes entries from a stream by ID and returns how many existed.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(log N) per ID given.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'id', type: 'string', multiple: true },
  ],
  handler(ctx, argv) {
    const key = keyOf(argv[1]!);
    const stream = streamOrReply(ctx, key, true);
    if (stream === null) return;
    if (stream === undefined) {
      ctx.out.integer(0);
      return;
    }
    const ids: StreamId[] = [];
    for (let i = 2; i < argv.length; i++) {
      const id = idOrReply(ctx.out, argv[i]!);
      if (id === null) return;
      ids.push(id);
    }
    // Each ID present counts once, however often it is given.
    const present = new Set<string>();
    for (const id of ids) if (stream.has(id)) present.add(formatParts(id.ms, id.seq));
    if (present.size > 0) commitStream(ctx, key, { op: 'xdel', ids: [...present] });
    ctx.out.integer(present.size);
    // Redis keeps an emptied stream: no 'del' follows.
    if (present.size > 0) ctx.notify('stream', 'xdel', key);
  },
} satisfies CommandSpec;
