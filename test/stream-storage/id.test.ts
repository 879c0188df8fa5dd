// Stream IDs: parsing as Redis parses (checked against answers recorded from a real Redis),
// formatting, ordering, increment/decrement at the edges, next-ID generation, and the exactness of
// the number|bigint representation around 2^53 and 2^64.

import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ERR_INVALID_END,
  ERR_INVALID_ID,
  ERR_INVALID_START,
  ERR_XADD_EXHAUSTED,
  ERR_XADD_SMALLER,
  ERR_XADD_ZERO,
  MAX_ID,
  MIN_ID,
  U64_MAX,
  canon,
  compareIds,
  counterSub,
  decrId,
  formatId,
  idFromText,
  incrId,
  int64Diff,
  isXaddZero,
  makeId,
  nextEntryId,
  parseId,
  parseIntervalId,
  parseRange,
  parseXaddId,
  string2ull,
  u64AsInt64,
  u64Dec,
  u64Inc,
} from '../../storage/stream';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'stream-storage', 'fixtures');

type Reply = string | unknown[] | { error: string };
interface IdCase {
  input: string;
  xadd: Reply;
  setid: Reply;
  rangeStart: Reply;
  rangeEnd: Reply;
}

t.test('ID arguments parse as Redis parsed them', async (t) => {
  const recorded = JSON.parse(readFileSync(join(FIXTURES, 'ids.json'), 'utf8')) as { redis: string; ids: IdCase[] };
  t.comment(`answers recorded from Redis ${recorded.redis}`);
  for (const c of recorded.ids) {
    const label = JSON.stringify(c.input);
    // XADD on a fresh key: strict parse, "*" and "<ms>-*" allowed, 0-0 refused before the lookup.
    const spec = parseXaddId(c.input);
    let xadd: Reply;
    if (spec === null) xadd = { error: ERR_INVALID_ID };
    else if (isXaddZero(spec)) xadd = { error: ERR_XADD_ZERO };
    else {
      const next = nextEntryId(MIN_ID, spec, 1234);
      xadd = next.error !== undefined ? { error: next.error } : formatId(next.id);
    }
    if (c.input === '*') t.equal(spec?.kind, 'auto', `${label}: XADD auto ID`);
    else t.same(xadd, c.xadd, `${label}: XADD`);
    // XGROUP SETID: non-strict parse, missing seq 0.
    const setid = parseId(c.input, 0, false);
    t.same(setid === null ? { error: ERR_INVALID_ID } : formatId(setid), c.setid, `${label}: XGROUP SETID`);
    // XRANGE bounds: "(" exclusive, incomplete IDs filled with 0 / max.
    const asStart = parseRange(c.input, '+');
    t.same('error' in asStart ? { error: asStart.error } : [], c.rangeStart, `${label}: XRANGE start`);
    const asEnd = parseRange('-', c.input);
    t.same('error' in asEnd ? { error: asEnd.error } : [], c.rangeEnd, `${label}: XRANGE end`);
  }
});

t.test('parsing details', async (t) => {
  t.same(parseId('5'), { ms: 5, seq: 0 }, 'incomplete ID: seq 0');
  t.same(parseId('5', 'max'), { ms: 5, seq: U64_MAX }, 'incomplete ID as an end: seq max');
  t.equal(parseId('-'), null, 'strict refuses -');
  t.same(parseId('-', 0, false), MIN_ID, '- is 0-0');
  t.same(parseId('+', 0, false), MAX_ID, '+ is the maximum ID');
  t.same(parseId(Buffer.from('7-8')), { ms: 7, seq: 8 }, 'Buffer arguments');
  t.same(parseId('9007199254740991-9007199254740992'), { ms: 9007199254740991, seq: 9007199254740992n }, '2^53 - 1 stays a number, 2^53 is a bigint');
  t.same(parseId('18446744073709551615-0'), { ms: U64_MAX, seq: 0 }, 'ms 2^64 - 1');
  t.equal(parseId('18446744073709551616-0'), null, 'ms 2^64 overflows');
  t.equal(parseId('5--3'), null, 'string2ll reads "-3": negative, invalid');
  t.same(parseId('5--03'), { ms: 5, seq: 18446744073709551613n }, "strtoull: '-' negates modulo 2^64");
  t.same(parseId('5- 7'), { ms: 5, seq: 7 }, 'strtoull: leading white space');
  t.same(parseId('007-01'), { ms: 7, seq: 1 }, 'strtoull: leading zeros');
  t.same(parseId('5-1\0junk'), { ms: 5, seq: 1 }, 'a NUL ends the ID (C string)');
  t.equal(parseId('1'.repeat(128)), null, 'more than 127 bytes');
  t.same(parseXaddId('12-*'), { kind: 'ms', ms: 12 }, '<ms>-*');
  t.equal(parseId('12-*'), null, '<ms>-* only for XADD');
  t.same(parseIntervalId('(5-1', 0), { id: { ms: 5, seq: 1 }, exclusive: true }, '( marks an exclusive bound');
  t.equal(parseIntervalId('(-', 0), null, 'an exclusive bound is strict');
  t.same(parseIntervalId('(', 0), null, "a lone '(' is just an invalid ID");
  t.same(parseRange('(18446744073709551615-18446744073709551615', '+'), { error: ERR_INVALID_START }, 'exclusive start past the maximum');
  t.same(parseRange('-', '(0-0'), { error: ERR_INVALID_END }, 'exclusive end before 0-0');
  t.same(parseRange('(5', '(6'), { start: { ms: 5, seq: 1 }, end: { ms: 6, seq: U64_MAX - 1n } }, 'exclusive incomplete bounds (filled, then moved)');
  t.same(parseRange('(5-18446744073709551615', '+'), { start: { ms: 6, seq: 0 }, end: MAX_ID }, 'exclusive start carries into ms');
  t.equal(string2ull('-0'), 0, 'strtoull("-0") is 0');
  t.equal(string2ull('-1'), null, 'string2ll("-1") is negative: invalid');
  t.equal(string2ull(' -1'), 18446744073709551615n, 'strtoull(" -1") wraps');
  t.equal(string2ull('+'), null, 'a sign without digits');
});

t.test('format, compare, increment, decrement', async (t) => {
  t.equal(formatId(MIN_ID), '0-0');
  t.equal(formatId(MAX_ID), '18446744073709551615-18446744073709551615');
  t.same(idFromText('18446744073709551615-9007199254740992'), { ms: U64_MAX, seq: 9007199254740992n });
  t.throws(() => idFromText('1-'), 'idFromText refuses junk');
  t.throws(() => idFromText('01-1'), 'idFromText takes canonical text only');
  t.throws(() => idFromText('18446744073709551616-1'), 'idFromText refuses overflow');
  t.equal(compareIds({ ms: 1, seq: 5 }, { ms: 2, seq: 0 }), -1);
  t.equal(compareIds({ ms: 9007199254740991, seq: 0 }, { ms: 9007199254740992n, seq: 0 }), -1, 'number vs bigint');
  t.equal(compareIds(makeId(9007199254740993n, 1n), { ms: 9007199254740993n, seq: 1 }), 0, 'makeId canonicalizes');
  t.same(incrId({ ms: 5, seq: 9007199254740991 }), { ms: 5, seq: 9007199254740992n }, 'seq crosses 2^53 exactly');
  t.same(incrId({ ms: 5, seq: U64_MAX }), { ms: 6, seq: 0 }, 'seq overflow carries into ms');
  t.equal(incrId(MAX_ID), null, 'the maximum ID has no successor');
  t.same(decrId({ ms: 6, seq: 0 }), { ms: 5, seq: U64_MAX }, 'seq underflow borrows from ms');
  t.same(decrId({ ms: 9007199254740992n, seq: 0 }), { ms: 9007199254740991, seq: U64_MAX }, 'ms back below 2^53 becomes a number');
  t.equal(decrId(MIN_ID), null, '0-0 has no predecessor');
  t.equal(u64Inc(U64_MAX), null);
  t.equal(u64Dec(0), null);
  t.equal(canon(5n), 5);
  t.equal(int64Diff(0, U64_MAX), 1, 'wrapped difference read as signed');
  t.equal(int64Diff(U64_MAX, 0), -1);
  t.equal(u64AsInt64(9223372036854775808n), -9223372036854775808n);
  t.equal(counterSub(9223372036854775807n, -1), -9223372036854775808n, 'long long arithmetic wraps');
});

t.test('next ID for XADD', async (t) => {
  const auto = parseXaddId('*')!;
  t.same(nextEntryId(MIN_ID, auto, 1700000000000), { id: { ms: 1700000000000, seq: 0 } }, 'clock ahead: now-0');
  t.same(nextEntryId({ ms: 1700000000000, seq: 4 }, auto, 1700000000000), { id: { ms: 1700000000000, seq: 5 } }, 'same ms: seq + 1');
  t.same(nextEntryId({ ms: 1800000000000, seq: 4 }, auto, 1700000000000), { id: { ms: 1800000000000, seq: 5 } }, 'clock behind: never backwards');
  t.same(nextEntryId({ ms: 7, seq: U64_MAX }, auto, 5), { id: { ms: 8, seq: 0 } }, 'seq exhausted: next ms');
  t.same(nextEntryId(MAX_ID, auto, 5), { error: ERR_XADD_EXHAUSTED }, 'nothing after the maximum ID');
  t.same(nextEntryId({ ms: 7, seq: 3 }, parseXaddId('7-*')!, 0), { id: { ms: 7, seq: 4 } }, '<ms>-* on the last ms');
  t.same(nextEntryId({ ms: 7, seq: 3 }, parseXaddId('9-*')!, 0), { id: { ms: 9, seq: 0 } }, '<ms>-* on a later ms');
  t.same(nextEntryId({ ms: 7, seq: 3 }, parseXaddId('6-*')!, 0), { error: ERR_XADD_SMALLER }, '<ms>-* on an earlier ms');
  t.same(nextEntryId({ ms: 7, seq: U64_MAX }, parseXaddId('7-*')!, 0), { error: ERR_XADD_SMALLER }, '<ms>-* with the seq exhausted');
  t.same(nextEntryId(MIN_ID, parseXaddId('0-*')!, 0), { id: { ms: 0, seq: 1 } }, '0-* on a new stream is 0-1');
  t.same(nextEntryId({ ms: 7, seq: 3 }, parseXaddId('7-3')!, 0), { error: ERR_XADD_SMALLER }, 'equal ID');
  t.same(nextEntryId({ ms: 7, seq: 3 }, parseXaddId('18446744073709551615-18446744073709551615')!, 0), {
    id: MAX_ID,
  }, 'the maximum ID itself');
  t.ok(isXaddZero(parseXaddId('0')!), '"0" is 0-0');
  t.notOk(isXaddZero(parseXaddId('0-*')!), '0-* is not');
});
