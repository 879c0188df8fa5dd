import { ERR, cString } from '../errors';
import { globMatch, intOrReply } from '../args';
import type { CommandSpec } from '../types';
import { typeName } from '../../storage/keyspace';
import { scanKeys } from '../../storage/scan';
import { optionName, peekKey } from './common';

const ULONG_MAX = 18446744073709551615n;
/** The type names SCAN's TYPE option knows (Redis's obj_type_name, modules aside). */
const TYPE_NAMES = new Set(['string', 'list', 'set', 'zset', 'hash', 'stream']);

/**
 * A cursor as Redis reads it (strtoul over the whole text): optional sign, decimal digits, nothing
 * else; a leading space, trailing junk or overflow is refused. A negative number wraps round as in
 * C, and text with no digits at all reads as 0. Null when invalid.
 */
export function parseCursor(arg: Buffer): bigint | null {
  const text = cString(arg);
  if (/^[ \t\n\v\f\r]/.test(text)) return null;
  const m = /^([+-]?)(\d*)$/.exec(text);
  if (m === null) return null;
  if (m[2] === '') return m[1] === '' ? 0n : null;
  const magnitude = BigInt(m[2]!);
  if (magnitude > ULONG_MAX) return null;
  return m[1] === '-' && magnitude !== 0n ? ULONG_MAX + 1n - magnitude : magnitude;
}

export const spec = {
  name: 'scan',
  arity: -2,
  flags: ['readonly'],
  acl: ['keyspace', 'read', 'slow'],
  keys: [0, 0, 0],
  summary: 'Walks the keys of the database a page at a time with a cursor, optionally filtered by pattern or type.',
  since: '2.8.0',
  group: 'generic',
  complexity:
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
  history: [['6.0.0', 'Added the `TYPE` subcommand.']],
  arguments: [
    { name: 'cursor', type: 'integer' },
    { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    { name: 'type', type: 'string', token: 'TYPE', since: '6.0.0', optional: true },
  ],
  tips: ['nondeterministic_output', 'request_policy:special'],
  handler(ctx, argv) {
    const cursor = parseCursor(argv[1]!);
    if (cursor === null) {
      ctx.out.error(ERR.invalidCursor);
      return;
    }
    let count = 10;
    let pattern: string | null = null;
    let type: string | null = null;
    for (let i = 2; i < argv.length; i += 2) {
      const option = optionName(argv[i]!);
      const hasValue = i + 1 < argv.length;
      if (option === 'count' && hasValue) {
        const n = intOrReply(ctx.out, argv[i + 1]!);
        if (n === null) return;
        if (n < 1) {
          ctx.out.error(ERR.syntax);
          return;
        }
        count = typeof n === 'bigint' ? Number.MAX_SAFE_INTEGER : n;
      } else if (option === 'match' && hasValue) {
        const text = argv[i + 1]!.toString('latin1');
        // "*" matches everything: the same as no pattern.
        pattern = text === '*' ? null : text;
      } else if (option === 'type' && hasValue) {
        type = argv[i + 1]!.toString('latin1').toLowerCase();
      } else {
        ctx.out.error(ERR.syntax);
        return;
      }
    }

    const dbIndex = ctx.client.dbIndex;
    // Our cursors stay far below 2^53; a larger one can only point past the end.
    const position = cursor > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(cursor);
    const match = pattern === null ? null : (key: string) => globMatch(pattern, key);
    const page = scanKeys(ctx.engine.dbs[dbIndex]!, position, count, match, ctx.nowMs);

    // Drop expired keys (removing them, as Redis does) and, with TYPE, keys of other types; Redis
    // checks the type through a read lookup, which counts in keyspace hits and misses.
    const known = type !== null && TYPE_NAMES.has(type);
    const keys = page.keys.filter((key) => {
      if (type === null) return ctx.engine.lookup(dbIndex, key, ctx.nowMs) !== undefined;
      const entry = peekKey(ctx, key);
      return known && entry !== undefined && typeName(entry.value) === type;
    });

    ctx.out.array(2);
    ctx.out.bulk(String(page.cursor));
    ctx.out.array(keys.length);
    for (const key of keys) ctx.out.bulk(key);
  },
} satisfies CommandSpec;
