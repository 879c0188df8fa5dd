// XREAD: the entries after a given ID in one or more streams. `$` means "after the stream's last
// ID" (nothing now: the call is meant to block), `+` (Redis 7.4) means "the last entry". Streams
// with nothing newer are left out of the reply; when none has anything the reply is null, or with
// BLOCK the client waits (Redis 7.2: the command runs again whenever one of its streams is written,
// with "$" fixed to what it meant when the client blocked, until it serves something or times out).

import { keyOf } from '../args';
import { ERR } from '../errors';
import { readKey } from '../lookup';
import type { CommandSpec, Ctx } from '../types';
import { type StreamId, MAX_ID, MIN_ID, Stream, compareIds, decrId, incrId } from '../../storage/stream';
import { idOrReply, streamOrReply, writeRange } from './common';
import { type ReadArgs, parseReadArgsOrReply, writeReadHeader, writeReadKey } from './read';

export const spec = {
  name: 'xread',
  arity: -4,
  flags: ['readonly', 'blocking', 'movablekeys'],
  acl: ['read', 'stream', 'slow', 'blocking'],
  keys: [0, 0, 0],
  keySpecs: [
    {
      flags: ['RO', 'ACCESS'],
      beginSearch: { type: 'keyword', keyword: 'STREAMS', startfrom: 1 },
      findKeys: { type: 'range', lastkey: -1, step: 1, limit: 2 },
    },
  ],
  summary: 'Returns the entries newer than given IDs from one or more streams; can wait for them.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(M) per stream for the M entries returned; with BLOCK, writers pay O(N) to serve N waiting clients.',
  arguments: [
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
    {
      name: 'streams',
      type: 'block',
      token: 'STREAMS',
      arguments: [
        { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
        { name: 'id', type: 'string', multiple: true },
      ],
    },
  ],
  handler(ctx, argv) {
    const args = parseReadArgsOrReply(ctx, argv, false);
    if (args === null) return;
    const after = readOrReply(ctx, argv, args, null);
    if (after === null) return;
    if (args.blockUntilMs === -1 || !ctx.mayBlock) {
      // Nothing to serve, and no waiting (or none allowed, as inside MULTI): a null reply.
      ctx.out.nullArray();
      return;
    }
    const keys = new Set<string>();
    for (let i = 0; i < args.streams; i++) keys.add(keyOf(argv[args.keysAt + i]!));
    ctx.block({
      keys: [...keys],
      deadlineMs: args.blockUntilMs,
      timedOut: () => ctx.out.nullArray(),
      retry(key) {
        // Redis re-runs a blocked XREAD only when the key written holds a stream; a deleted key
        // holds nothing for anyone, another type nothing for this reader. "$" stays what it was
        // when the client blocked.
        const value = ctx.engine.lookup(ctx.client.dbIndex, key, ctx.nowMs)?.value;
        if (value === undefined) return 'empty';
        if (!(value instanceof Stream)) return 'skip';
        return readOrReply(ctx, argv, args, after) === null ? 'served' : 'skip';
      },
    });
  },
} satisfies CommandSpec;

/**
 * One run of XREAD: per stream (in order) its type, then its ID ("$" is the stream's last ID, or
 * `dollar[i]` when re-run after blocking); then the reply when some stream has entries after its
 * ID. Returns null once a reply (entries or an error) is written, else the resolved IDs.
 */
function readOrReply(ctx: Ctx, argv: readonly Buffer[], args: ReadArgs, dollar: readonly StreamId[] | null): StreamId[] | null {
  const after: StreamId[] = new Array(args.streams);
  for (let i = 0; i < args.streams; i++) {
    const stream = streamOrReply(ctx, keyOf(argv[args.keysAt + i]!), false);
    if (stream === null) return null;
    const idArg = argv[args.keysAt + args.streams + i]!;
    if (isOneChar(idArg, 0x24)) {
      after[i] = dollar?.[i] ?? stream?.lastId ?? MIN_ID; // "$"
    } else if (isOneChar(idArg, 0x2b)) {
      after[i] = lastEntryFloor(stream); // "+"
    } else if (isOneChar(idArg, 0x3e)) {
      ctx.out.error(ERR.xreadGreaterThanId); // ">"
      return null;
    } else {
      const id = idOrReply(ctx.out, idArg);
      if (id === null) return null;
      after[i] = id;
    }
  }
  // Which streams have something newer: known before writing, so the header has its length.
  const served: Array<Stream | null> = new Array(args.streams);
  let servedCount = 0;
  for (let i = 0; i < args.streams; i++) {
    const value = readKey(ctx, keyOf(argv[args.keysAt + i]!))?.value;
    const stream = value instanceof Stream && value.length > 0 ? value : null;
    const top = stream?.lastValidId() ?? null;
    served[i] = top !== null && compareIds(top, after[i]!) > 0 ? stream : null;
    if (served[i] !== null) servedCount++;
  }
  if (servedCount === 0) return after;
  writeReadHeader(ctx.out, servedCount);
  for (let i = 0; i < args.streams; i++) {
    const stream = served[i];
    if (stream === null || stream === undefined) continue;
    writeReadKey(ctx.out, argv[args.keysAt + i]!);
    writeRange(ctx.out, stream, incrId(after[i]!)!, MAX_ID, args.count, false);
  }
  return null;
}

/** "+": just below the last live entry, so that entry alone is newer (0-0 for a missing or empty stream). */
function lastEntryFloor(stream: Stream | undefined): StreamId {
  if (stream === undefined || stream.length === 0) return MIN_ID;
  return decrId(stream.lastValidId()!) ?? MIN_ID;
}

/** Whether an argument is exactly one character (Redis compares these with strcmp). */
function isOneChar(arg: Buffer, c: number): boolean {
  return arg.length === 1 && arg[0] === c;
}
