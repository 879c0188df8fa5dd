// XSETID: set a stream's last ID (and, since 7.0, its entries-added counter and max deleted ID).
// Redis 7.2 also refuses an ID below the stream's max deleted ID (7.0 accepted it: see
// test/command/redis72.ts).

import { keyOf, keyword, parseInt64 } from '../args';
import { ERR } from '../errors';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { type Counter, type StreamId, ERR_XSETID_SMALLER_THAN_MAX_DELETED_ARG, compareIds, counterToEffect, formatId } from '../../storage/stream';
import { commitStream, idOrReply, streamOrReply } from './common';

export const spec = {
  name: 'xsetid',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'stream', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'UPDATE'])],
  summary: "Sets a stream's last ID and counters; used to replicate streams.",
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1)',
  history: [['7.0.0', 'Added the `entries_added` and `max_deleted_entry_id` arguments.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'last-id', type: 'string' },
    { name: 'entries_added', type: 'integer', token: 'ENTRIESADDED', since: '7.0.0', optional: true },
    { name: 'max_deleted_entry_id', type: 'string', token: 'MAXDELETEDID', since: '7.0.0', optional: true },
  ],
  handler(ctx, argv) {
    const id = idOrReply(ctx.out, argv[2]!);
    if (id === null) return;
    let entriesAdded: Counter = -1;
    let maxDeletedId: StreamId | null = null;
    for (let i = 3; i < argv.length; i += 2) {
      const opt = keyword(argv[i]!);
      const more = i + 1 < argv.length;
      if (opt === 'entriesadded' && more) {
        const n = parseInt64(argv[i + 1]!.toString('latin1'));
        if (n === null) {
          ctx.out.error(ERR.notInteger);
          return;
        }
        if (n < 0) {
          ctx.out.error(ERR.xsetidEntriesAddedNegative);
          return;
        }
        entriesAdded = n;
      } else if (opt === 'maxdeletedid' && more) {
        maxDeletedId = idOrReply(ctx.out, argv[i + 1]!);
        if (maxDeletedId === null) return;
        if (compareIds(id, maxDeletedId) < 0) {
          ctx.out.error(ERR_XSETID_SMALLER_THAN_MAX_DELETED_ARG);
          return;
        }
      } else {
        ctx.out.error(ERR.syntax);
        return;
      }
    }
    const key = keyOf(argv[1]!);
    const stream = streamOrReply(ctx, key, true);
    if (stream === null) return;
    if (stream === undefined) {
      ctx.out.error(ERR.noSuchKey);
      return;
    }
    const refused = stream.checkSetId(id, entriesAdded, true);
    if (refused !== null) {
      ctx.out.error(refused);
      return;
    }
    commitStream(ctx, key, {
      op: 'xsetid',
      lastId: formatId(id),
      ...(entriesAdded !== -1 ? { entriesAdded: counterToEffect(entriesAdded) } : {}),
      ...(maxDeletedId !== null ? { maxDeletedId: formatId(maxDeletedId) } : {}),
    });
    ctx.out.ok();
    ctx.notify('stream', 'xsetid', key);
  },
} satisfies CommandSpec;
