// XCFGSET key [IDMP-DURATION seconds] [IDMP-MAXSIZE entries] (Redis 8.6): how long, and how many
// per producer, a stream remembers idempotent IDs (XADD IDMP / IDMPAUTO). A value that changes
// clears what the stream remembers; setting the same value again keeps it, so producers may each
// call this before they start. Errors follow Redis's source: the key first (no such key,
// WRONGTYPE), then each option as met.

import { keyword, parseInt64 } from '../args';
import { ERR } from '../errors';
import { keysAt } from '../keyspecs';
import type { CommandSpec } from '../types';
import { IDMP_DEFAULT_DURATION_SEC, IDMP_DEFAULT_MAXSIZE, IDMP_DURATION_RANGE, IDMP_MAXSIZE_RANGE } from '../../storage/stream';
import { commitStream, streamOrReply } from './common';

export const spec = {
  name: 'xcfgset',
  arity: -2,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  keys: [1, 1, 1],
  keySpecs: [keysAt(1, ['RW', 'UPDATE'])],
  summary: 'Sets how long and how many idempotent IDs a stream remembers for XADD IDMP / IDMPAUTO.',
  since: '8.6.0',
  group: 'stream',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    {
      name: 'idmp-duration-block',
      type: 'block',
      optional: true,
      arguments: [
        { name: 'idmp-duration-token', type: 'pure-token', token: 'IDMP-DURATION' },
        { name: 'duration', type: 'integer' },
      ],
    },
    {
      name: 'idmp-maxsize-block',
      type: 'block',
      optional: true,
      arguments: [
        { name: 'idmp-maxsize-token', type: 'pure-token', token: 'IDMP-MAXSIZE' },
        { name: 'maxsize', type: 'integer' },
      ],
    },
  ],
  handler(ctx, argv) {
    const key = argv[1]!.toString('latin1');
    const stream = streamOrReply(ctx, key, true);
    if (stream === null) return;
    if (stream === undefined) {
      ctx.out.error(ERR.noSuchKey);
      return;
    }
    let durationSec: number | null = null;
    let maxSize: number | null = null;
    for (let i = 2; i < argv.length; i++) {
      const opt = keyword(argv[i]!);
      const more = i + 1 < argv.length;
      if (opt === 'idmp-duration' && more) {
        if (durationSec !== null) {
          ctx.out.error(ERR.xcfgsetDurationTwice);
          return;
        }
        const n = parseInt64(argv[++i]!.toString('latin1'));
        if (n === null) {
          ctx.out.error(ERR.notInteger);
          return;
        }
        if (n < IDMP_DURATION_RANGE.min || n > IDMP_DURATION_RANGE.max) {
          ctx.out.error(ERR.xcfgsetDurationRange(IDMP_DURATION_RANGE.min, IDMP_DURATION_RANGE.max));
          return;
        }
        durationSec = Number(n);
      } else if (opt === 'idmp-maxsize' && more) {
        if (maxSize !== null) {
          ctx.out.error(ERR.xcfgsetMaxsizeTwice);
          return;
        }
        const n = parseInt64(argv[++i]!.toString('latin1'));
        if (n === null) {
          ctx.out.error(ERR.notInteger);
          return;
        }
        if (n < IDMP_MAXSIZE_RANGE.min || n > IDMP_MAXSIZE_RANGE.max) {
          ctx.out.error(ERR.xcfgsetMaxsizeRange(IDMP_MAXSIZE_RANGE.min, IDMP_MAXSIZE_RANGE.max));
          return;
        }
        maxSize = Number(n);
      } else {
        ctx.out.error(ERR.syntax);
        return;
      }
    }
    if (durationSec === null && maxSize === null) {
      ctx.out.error(ERR.xcfgsetNothing);
      return;
    }
    const current = { durationSec: stream.idmpState?.durationSec ?? IDMP_DEFAULT_DURATION_SEC, maxSize: stream.idmpState?.maxSize ?? IDMP_DEFAULT_MAXSIZE };
    const setDuration = durationSec !== null && durationSec !== current.durationSec;
    const setMaxSize = maxSize !== null && maxSize !== current.maxSize;
    if (setDuration || setMaxSize) {
      commitStream(ctx, key, { op: 'xcfgset', ...(setDuration ? { durationSec: durationSec! } : {}), ...(setMaxSize ? { maxSize: maxSize! } : {}) });
    }
    ctx.out.ok();
  },
} satisfies CommandSpec;
