// What GETRANGE and its deprecated twin SUBSTR share: their reply and their documentation.

import { intOrReply, keyOf } from '../args';
import { readStringOrReply } from '../lookup';
import type { ArgSpec, Ctx } from '../types';

export const RANGE_COMPLEXITY =
  'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.';

export const RANGE_ARGS: readonly ArgSpec[] = [
  { name: 'key', type: 'key', keySpecIndex: 0 },
  { name: 'start', type: 'integer' },
  { name: 'end', type: 'integer' },
];

/**
 * Reply with bytes start..end (inclusive) of the string at argv[1]; negative indexes count from the
 * end, out-of-range ones are clamped, and an empty range (or a missing key) is an empty string.
 * Indexes are 64-bit: comparisons between them are exact even beyond 2^53 (number vs bigint).
 */
export function replyRange(ctx: Ctx, argv: readonly Buffer[]): void {
  const start = intOrReply(ctx.out, argv[2]!);
  if (start === null) return;
  const end = intOrReply(ctx.out, argv[3]!);
  if (end === null) return;
  const value = readStringOrReply(ctx, keyOf(argv[1]!));
  if (value === null) return;
  if (value === undefined || (start < 0 && end < 0 && start > end)) {
    ctx.out.bulk('');
    return;
  }
  const length = value.length;
  // Beyond ±2^53 an index is far outside any string: clamping it keeps the arithmetic in numbers.
  let from = clamp(start);
  let to = clamp(end);
  if (from < 0) from = Math.max(length + from, 0);
  if (to < 0) to = Math.max(length + to, 0);
  if (to >= length) to = length - 1;
  if (from > to || length === 0) ctx.out.bulk('');
  else ctx.out.bulk(value.slice(from, to + 1));
}

function clamp(n: number | bigint): number {
  if (typeof n === 'number') return n;
  return n < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
}
