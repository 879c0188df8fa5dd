import { ERR, cString } from '../errors';
import { intOrReply, keyOf } from '../args';
import { readKey } from '../lookup';
import { keysAt } from '../keyspecs';
import type { CommandSpec, Ctx } from '../types';
import { protoMaxBulkLen } from './limits';

export const spec = {
  name: 'lcs',
  arity: -3,
  flags: ['readonly'],
  acl: ['read', 'string', 'slow'],
  keys: [1, 2, 1],
  keySpecs: [keysAt(1, ['RO', 'ACCESS'], { lastkey: 1 })],
  summary: 'Finds the longest common subsequence of the strings stored at two keys.',
  since: '7.0.0',
  group: 'string',
  complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
  arguments: [
    { name: 'key1', type: 'key', keySpecIndex: 0 },
    { name: 'key2', type: 'key', keySpecIndex: 0 },
    { name: 'len', type: 'pure-token', token: 'LEN', optional: true },
    { name: 'idx', type: 'pure-token', token: 'IDX', optional: true },
    { name: 'len', type: 'integer', token: 'MINMATCHLEN', optional: true },
    { name: 'withmatchlen', type: 'pure-token', token: 'WITHMATCHLEN', optional: true },
  ],
  handler(ctx, argv) {
    // Both keys are read (and counted) before either is checked, as in Redis.
    const entryA = readKey(ctx, keyOf(argv[1]!));
    const entryB = readKey(ctx, keyOf(argv[2]!));
    const a = entryA === undefined ? '' : entryA.value;
    const b = entryB === undefined ? '' : entryB.value;
    if (typeof a !== 'string' || typeof b !== 'string') {
      ctx.out.error(ERR.lcsNotStrings);
      return;
    }

    let getLen = false;
    let getIdx = false;
    let withMatchLen = false;
    let minMatchLen: number | bigint = 0;
    for (let j = 3; j < argv.length; j++) {
      const opt = cString(argv[j]!).toLowerCase();
      if (opt === 'idx') {
        getIdx = true;
      } else if (opt === 'len') {
        getLen = true;
      } else if (opt === 'withmatchlen') {
        withMatchLen = true;
      } else if (opt === 'minmatchlen' && j + 1 < argv.length) {
        const n = intOrReply(ctx.out, argv[++j]!);
        if (n === null) return;
        minMatchLen = n < 0 ? 0 : n;
      } else {
        ctx.out.error(ERR.syntax);
        return;
      }
    }
    if (getIdx && getLen) {
      ctx.out.error(ERR.lcsLenAndIdx);
      return;
    }
    // Redis indexes with 32-bit counters.
    if (a.length >= 0xfffffffe || b.length >= 0xfffffffe) {
      ctx.out.error(ERR.lcsTooLong);
      return;
    }
    // The table holds a 32-bit length per pair of prefixes; Redis bounds it like a bulk string.
    const tableBytes = (a.length + 1) * (b.length + 1) * 4;
    if (tableBytes > protoMaxBulkLen(ctx)) {
      ctx.out.error(ERR.lcsOverBulkLen);
      return;
    }
    const table = allocateTable((a.length + 1) * (b.length + 1));
    if (table === null) {
      ctx.out.error(ERR.lcsNoMemory);
      return;
    }
    fillTable(table, a, b);
    replyLcs(ctx, table, a, b, { getLen, getIdx, withMatchLen, minMatchLen });
  },
} satisfies CommandSpec;

function allocateTable(cells: number): Uint32Array | null {
  try {
    return new Uint32Array(cells);
  } catch {
    return null;
  }
}

/** table[i*(blen+1)+j] = length of the LCS of a[0..i) and b[0..j). Row 0 and column 0 stay 0. */
function fillTable(table: Uint32Array, a: string, b: string): void {
  const width = b.length + 1;
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    const row = i * width;
    const up = row - width;
    for (let j = 1; j <= b.length; j++) {
      if (ca === b.charCodeAt(j - 1)) {
        table[row + j] = table[up + j - 1]! + 1;
      } else {
        const fromUp = table[up + j]!;
        const fromLeft = table[row + j - 1]!;
        table[row + j] = fromUp > fromLeft ? fromUp : fromLeft;
      }
    }
  }
}

interface LcsOptions {
  getLen: boolean;
  getIdx: boolean;
  withMatchLen: boolean;
  minMatchLen: number | bigint;
}

/**
 * Walk the table back from the end, as Redis does, collecting the subsequence and (for IDX) the
 * matching ranges from last to first. The walk follows Redis's tie-breaking exactly so that the
 * same ranges come out.
 */
function replyLcs(ctx: Ctx, table: Uint32Array, a: string, b: string, options: LcsOptions): void {
  const alen = a.length;
  const blen = b.length;
  const width = blen + 1;
  const total = table[alen * width + blen]!;
  if (options.getLen) {
    ctx.out.integer(total);
    return;
  }

  // Filled from its end as the walk goes backwards.
  const result = Buffer.allocUnsafe(total);
  let idx = total;
  const ranges: number[][] = [];
  // arangeStart === alen means "no range open".
  let arangeStart = alen;
  let arangeEnd = 0;
  let brangeStart = 0;
  let brangeEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emitRange = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      result[idx - 1] = a.charCodeAt(i - 1);
      if (arangeStart === alen) {
        arangeStart = i - 1;
        arangeEnd = i - 1;
        brangeStart = j - 1;
        brangeEnd = j - 1;
      } else if (arangeStart === i && brangeStart === j) {
        // Contiguous with the open range: extend it backwards.
        arangeStart--;
        brangeStart--;
      } else {
        emitRange = true;
      }
      // A range touching the start of either string cannot grow further.
      if (arangeStart === 0 || brangeStart === 0) emitRange = true;
      idx--;
      i--;
      j--;
    } else {
      const fromUp = table[(i - 1) * width + j]!;
      const fromLeft = table[i * width + j - 1]!;
      if (fromUp > fromLeft) i--;
      else j--;
      if (arangeStart !== alen) emitRange = true;
    }
    if (emitRange) {
      const matchLen = arangeEnd - arangeStart + 1;
      if (options.minMatchLen === 0 || matchLen >= options.minMatchLen) {
        ranges.push([arangeStart, arangeEnd, brangeStart, brangeEnd, matchLen]);
      }
      arangeStart = alen;
    }
  }

  if (!options.getIdx) {
    ctx.out.bulk(result);
    return;
  }
  const out = ctx.out;
  out.map(2);
  out.bulk('matches');
  out.array(ranges.length);
  for (const [as, ae, bs, be, len] of ranges) {
    out.array(options.withMatchLen ? 3 : 2);
    out.array(2);
    out.integer(as!);
    out.integer(ae!);
    out.array(2);
    out.integer(bs!);
    out.integer(be!);
    if (options.withMatchLen) out.integer(len!);
  }
  out.bulk('len');
  out.integer(total);
}
