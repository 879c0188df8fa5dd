// XADD: append an entry to a stream (created unless NOMKSTREAM), then trim it when MAXLEN/MINID
// asks to. The entry's ID is made concrete before it is recorded ("*" and "<ms>-*" resolved), and
// the trim is recorded as the exact trim it amounted to, so replay needs neither clock nor LIMIT.
// Redis 8.2's KEEPREF/DELREF/ACKED are accepted (see RefPolicy) and COMMAND DOCS lists them where
// Redis 8.2 places them (after NOMKSTREAM). Redis 8.6's IDMP pid iid / IDMPAUTO pid make a producer's
// retries idempotent: a (pid, iid) seen recently answers the first entry's ID, adds nothing, trims
// nothing, announces nothing (storage/stream/idmp.ts keeps what is remembered).

import { createHash } from 'node:crypto';
import { keyOf } from '../args';
import { ERR } from '../errors';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { LISTPACK_MAX_SIZE, isXaddZero, nextEntryId, MIN_ID } from '../../storage/stream';
import { commitStream, committedStream, parseTrimOrReply, REF_POLICY_ARGUMENT, streamOrReply, trimWithPolicy, writeId, xaddChange } from './common';

export const spec = {
  name: 'xadd',
  arity: -5,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'stream', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'UPDATE'], { notes: 'UPDATE rather than INSERT: the optional trim may remove entries.' })],
  summary: 'Appends an entry to a stream, creating the stream unless NOMKSTREAM; can trim it in the same call.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1) to append; trimming adds O(N) for the N entries it removes.',
  history: [
    ['6.2.0', 'Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option.'],
    ['7.0.0', 'Added support for the `<ms>-*` explicit ID form.'],
  ],
  tips: ['nondeterministic_output'],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'nomkstream', type: 'pure-token', token: 'NOMKSTREAM', since: '6.2.0', optional: true },
    REF_POLICY_ARGUMENT,
    {
      name: 'idmp',
      type: 'oneof',
      optional: true,
      arguments: [
        {
          name: 'idmpauto-with-pid',
          type: 'block',
          arguments: [
            { name: 'idmpauto-token', type: 'pure-token', token: 'IDMPAUTO' },
            { name: 'pid', type: 'string', display: 'producer-id' },
          ],
        },
        {
          name: 'idmp-with-pid-iid',
          type: 'block',
          arguments: [
            { name: 'idmp-token', type: 'pure-token', token: 'IDMP' },
            { name: 'pid', type: 'string', display: 'producer-id' },
            { name: 'iid', type: 'string', display: 'idempotent-id' },
          ],
        },
      ],
    },
    {
      name: 'trim',
      type: 'block',
      optional: true,
      arguments: [
        {
          name: 'strategy',
          type: 'oneof',
          arguments: [
            { name: 'maxlen', type: 'pure-token', token: 'MAXLEN' },
            { name: 'minid', type: 'pure-token', token: 'MINID', since: '6.2.0' },
          ],
        },
        {
          name: 'operator',
          type: 'oneof',
          optional: true,
          arguments: [
            { name: 'equal', type: 'pure-token', token: '=' },
            { name: 'approximately', type: 'pure-token', token: '~' },
          ],
        },
        { name: 'threshold', type: 'string' },
        { name: 'count', type: 'integer', token: 'LIMIT', since: '6.2.0', optional: true },
      ],
    },
    {
      name: 'id_or_auto',
      type: 'oneof',
      arguments: [
        { name: 'auto_id', type: 'pure-token', token: '*' },
        { name: 'id', type: 'string' },
      ],
    },
    {
      name: 'field_value',
      type: 'block',
      multiple: true,
      arguments: [
        { name: 'field', type: 'string' },
        { name: 'value', type: 'string' },
      ],
    },
  ],
  handler(ctx, argv) {
    const args = parseTrimOrReply(ctx, argv, true);
    if (args === null) return;
    const fieldsAt = args.idIndex + 1;
    const fieldArgs = argv.length - fieldsAt;
    if (args.id === null || fieldArgs < 2 || fieldArgs % 2 === 1) {
      ctx.out.error(ERR.wrongArity('xadd'));
      return;
    }
    // Checked before the lookup, so a 0-0 never leaves an empty stream behind.
    if (isXaddZero(args.id)) {
      ctx.out.error(ERR.xaddZeroId);
      return;
    }
    const key = keyOf(argv[1]!);
    const stream = streamOrReply(ctx, key, true);
    if (stream === null) return;
    if (stream === undefined && args.noMkStream) {
      ctx.out.nullBulk();
      return;
    }
    // IDMP / IDMPAUTO: a (producer, iid) already recorded answers its entry's ID and adds nothing.
    const idmp = args.idmp === null ? null : { pid: args.idmp.pid.toString('latin1'), iid: idempotentId(args.idmp.iid, argv, fieldsAt) };
    if (idmp !== null && stream !== undefined) {
      const earlier = stream.idmpState?.lookup(idmp.pid, idmp.iid, ctx.nowMs);
      if (earlier !== undefined) {
        commitStream(ctx, key, { op: 'xidmpdup' });
        writeId(ctx.out, earlier.ms, earlier.seq);
        return;
      }
    }
    const next = nextEntryId(stream?.lastId ?? MIN_ID, args.id, ctx.nowMs);
    if (next.error !== undefined) {
      ctx.out.error(next.error);
      return;
    }
    const fields: string[] = new Array(fieldArgs);
    let bytes = 0;
    for (let i = 0; i < fieldArgs; i++) {
      const arg = argv[fieldsAt + i]!;
      bytes += arg.length;
      fields[i] = arg.toString('latin1');
    }
    if (bytes > LISTPACK_MAX_SIZE) {
      ctx.out.error(ERR.xaddTooLarge);
      return;
    }
    commitStream(ctx, key, xaddChange(ctx, next.id, fields, idmp, stream === undefined));
    writeId(ctx.out, next.id.ms, next.id.seq);
    ctx.notify('stream', 'xadd', key);
    // MAXLEN/MINID, planned on the stream with the new entry; recorded only when it removes any.
    if (args.trim !== null && trimWithPolicy(ctx, key, committedStream(ctx, key), args.trim, args.policy) > 0) {
      ctx.notify('stream', 'xtrim', key);
    }
  },
} satisfies CommandSpec;

/**
 * The idempotent ID: IDMP's as given; IDMPAUTO's a 128-bit digest of the field-value pairs that
 * ignores their order (as Redis's does; Redis uses XXH3, which nothing outside the server sees).
 * Each pair is hashed with its field's length between field and value, the pair digests sorted
 * and hashed together.
 */
function idempotentId(iid: Buffer | null, argv: readonly Buffer[], fieldsAt: number): string {
  if (iid !== null) return iid.toString('latin1');
  const pairs: Buffer[] = [];
  for (let i = fieldsAt; i + 1 < argv.length; i += 2) {
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(argv[i]!.length));
    pairs.push(createHash('sha256').update(argv[i]!).update(length).update(argv[i + 1]!).digest());
  }
  pairs.sort(Buffer.compare);
  return createHash('sha256').update(Buffer.concat(pairs)).digest().subarray(0, 16).toString('latin1');
}
