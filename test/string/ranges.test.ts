// APPEND, STRLEN, GETRANGE, SUBSTR, SETRANGE and LCS against real Redis, byte for byte, in RESP2
// and RESP3, plus a seeded random comparison of LCS ranges (replay a failure with SEED=<n>).
// Not covered here: WRONGTYPE replies, which need a key of another type (Sluice has only strings yet).

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { RawClient } from '../support/resp';

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const CRLF_VALUE = Buffer.from('a\r\nb\r\n$3\r\n*1\r\n\0end', 'latin1');
const BIN_KEY = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x20, 0x80]);

const appendScript: Step[] = [
  ['APPEND', 'a', 'Hello'],
  ['APPEND', 'a', ' World'],
  ['GET', 'a'],
  ['APPEND', 'a', ''],
  ['STRLEN', 'a'],
  ['APPEND', 'empty', ''],
  ['GET', 'empty'],
  ['STRLEN', 'empty'],
  ['APPEND', BIN_KEY, ALL_BYTES],
  ['APPEND', BIN_KEY, CRLF_VALUE],
  ['GET', BIN_KEY],
  ['STRLEN', BIN_KEY],
  ['SET', 'n', '123'],
  ['APPEND', 'n', '456'],
  ['GET', 'n'],
  ['INCR', 'n'],
  ['STRLEN', 'n'],
  ['STRLEN', 'missing'],
  ['APPEND', 'a'],
  ['APPEND', 'a', 'b', 'c'],
  ['STRLEN'],
  ['STRLEN', 'a', 'b'],
];

const getrangeScript: Step[] = [
  ['SET', 's', 'Hello World'],
  ...[
    ['0', '4'],
    ['-5', '-1'],
    ['0', '-1'],
    ['5', '3'],
    ['-100', '100'],
    ['100', '200'],
    ['-1', '-5'],
    ['-3', '-1'],
    ['0', '0'],
    ['-1', '-1'],
    ['10', '10'],
    ['11', '11'],
    ['10', '100'],
    ['-11', '-11'],
    ['-12', '-12'],
    ['3', '-100'],
    ['0', '9223372036854775807'],
    ['-9223372036854775808', '-1'],
    ['-9223372036854775808', '9223372036854775807'],
    ['9223372036854775807', '9223372036854775807'],
    ['-9223372036854775807', '-9223372036854775808'],
    ['-9223372036854775808', '-9223372036854775807'],
    ['9007199254740993', '9007199254740992'],
  ].flatMap(([start, end]): Step[] => [
    ['GETRANGE', 's', start!, end!],
    ['SUBSTR', 's', start!, end!],
  ]),
  ['GETRANGE', 'missing', '0', '-1'],
  ['GETRANGE', 'missing', '5', '1'],
  ['SET', 'e', ''],
  ['GETRANGE', 'e', '0', '-1'],
  ['GETRANGE', 'e', '-1', '0'],
  ['SET', 'int', '1234567'],
  ['GETRANGE', 'int', '2', '-2'],
  ['SUBSTR', 'int', '-3', '-1'],
  ['SET', BIN_KEY, ALL_BYTES],
  ['GETRANGE', BIN_KEY, '10', '20'],
  ['GETRANGE', BIN_KEY, '-16', '-1'],
  ['SUBSTR', BIN_KEY, '0', '-1'],
  ['GETRANGE', 's', 'a', '1'],
  ['GETRANGE', 's', '0', '1.5'],
  ['GETRANGE', 's', '9223372036854775808', '1'],
  ['GETRANGE', 's', '0', ' 1'],
  ['GETRANGE', 'missing', 'x', '1'],
  ['SUBSTR', 's', '0', 'x'],
  ['GETRANGE', 's', '0'],
  ['SUBSTR', 's', '0', '1', '2'],
];

const setrangeScript: Step[] = [
  ['SETRANGE', 'r', '0', 'abc'],
  ['SETRANGE', 'r', '1', 'XY'],
  ['GET', 'r'],
  ['SETRANGE', 'r', '3', 'def'],
  ['GET', 'r'],
  ['SETRANGE', 'r', '10', 'Z'],
  ['GET', 'r'],
  ['SETRANGE', 'pad', '5', 'ab'],
  ['GET', 'pad'],
  ['SETRANGE', 'r', '0', ''],
  ['SETRANGE', 'r', '100', ''],
  ['GET', 'r'],
  // Writing nothing on a missing key does not create it.
  ['SETRANGE', 'none', '0', ''],
  ['SETRANGE', 'none', '9999999999', ''],
  ['GET', 'none'],
  ['SET', 'n', '12345'],
  ['SETRANGE', 'n', '2', '9'],
  ['GET', 'n'],
  ['INCR', 'n'],
  ['SETRANGE', BIN_KEY, '3', ALL_BYTES],
  ['SETRANGE', BIN_KEY, '0', CRLF_VALUE],
  ['GET', BIN_KEY],
  ['SETRANGE', 'r', '-1', 'x'],
  ['SETRANGE', 'r', '-9223372036854775808', 'x'],
  ['SETRANGE', 'r', 'a', 'x'],
  ['SETRANGE', 'r', '1.0', 'x'],
  ['SETRANGE', 'r', '9223372036854775808', 'x'],
  ['SETRANGE', 'r', '-1', ''],
  // Over proto-max-bulk-len (512MB): refused before anything is allocated.
  ['SETRANGE', 'r', '536870912', 'x'],
  ['SETRANGE', 'r', '536870911', 'xy'],
  ['SETRANGE', 'big', '536870912', 'x'],
  ['SETRANGE', 'r', '9223372036854775807', 'x'],
  ['SETRANGE', 'r', '9007199254740993', 'x'],
  ['GET', 'big'],
  ['GET', 'r'],
  ['SETRANGE', 'r', '0'],
  ['SETRANGE', 'r', '0', 'a', 'b'],
];

const lcsScript: Step[] = [
  ['MSET', 'key1', 'ohmytext', 'key2', 'mynewtext'],
  ['LCS', 'key1', 'key2'],
  ['LCS', 'key1', 'key2', 'LEN'],
  ['LCS', 'key1', 'key2', 'IDX'],
  ['LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4'],
  ['LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN'],
  ['LCS', 'key1', 'key2', 'idx', 'withmatchlen'],
  ['LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '0'],
  ['LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '-5'],
  ['LCS', 'key1', 'key2', 'IDX', 'MINMATCHLEN', '9223372036854775807'],
  ['LCS', 'key1', 'key2', 'MINMATCHLEN', '2'],
  ['LCS', 'key1', 'key2', 'WITHMATCHLEN'],
  ['LCS', 'key1', 'key2', 'LEN', 'WITHMATCHLEN', 'LEN'],
  ['LCS', 'key2', 'key1', 'IDX', 'WITHMATCHLEN'],
  ['LCS', 'key1', 'key1', 'IDX', 'WITHMATCHLEN'],
  ['LCS', 'key1', 'missing'],
  ['LCS', 'missing', 'key1', 'IDX'],
  ['LCS', 'missing', 'other', 'LEN'],
  ['LCS', 'missing', 'other', 'IDX', 'WITHMATCHLEN'],
  ['MSET', 'b1', ALL_BYTES, 'b2', CRLF_VALUE],
  ['LCS', 'b1', 'b2'],
  ['LCS', 'b1', 'b2', 'IDX', 'WITHMATCHLEN'],
  ['MSET', 'x', 'abcabcabc', 'y', 'cbacbacba'],
  ['LCS', 'x', 'y', 'IDX', 'WITHMATCHLEN'],
  ['LCS', 'y', 'x', 'IDX', 'WITHMATCHLEN'],
  ['MSET', 'z1', 'aaaa', 'z2', 'aa'],
  ['LCS', 'z1', 'z2', 'IDX', 'WITHMATCHLEN'],
  ['LCS', 'key1', 'key2', 'LEN', 'IDX'],
  ['LCS', 'key1', 'key2', 'IDX', 'LEN'],
  ['LCS', 'key1', 'key2', 'FOO'],
  ['LCS', 'key1', 'key2', 'MINMATCHLEN'],
  ['LCS', 'key1', 'key2', 'MINMATCHLEN', 'abc'],
  ['LCS', 'key1', 'key2', 'MINMATCHLEN', '1.5', 'LEN', 'IDX'],
  ['LCS', 'key1', 'key2', 'LEN', 'IDX', 'FOO'],
  ['LCS', 'key1'],
];

/** Mulberry32: small, seedable, good enough to pick test inputs. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

t.test('append, ranges and LCS match Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());

  for (const resp of [2, 3] as const) {
    t.test(`replies match in RESP${resp}`, async (t) => {
      await pair.check(t, appendScript, { resp });
      await pair.check(t, getrangeScript, { resp });
      await pair.check(t, setrangeScript, { resp });
      await pair.check(t, lcsScript, { resp });
    });
  }

  t.test('random strings give the same LCS and ranges', async (t) => {
    const seed = Number(process.env.SEED ?? Date.now() % 1e9);
    t.comment(`seed ${seed} (replay with SEED=${seed})`);
    const random = rng(seed);
    const word = () => {
      const alphabet = 'abcd'.slice(0, 2 + Math.floor(random() * 3));
      const length = Math.floor(random() * 30);
      return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    };
    const steps: Step[] = [];
    for (let i = 0; i < 60; i++) {
      const min = String(Math.floor(random() * 4));
      steps.push(['MSET', 'p', word(), 'q', word()]);
      steps.push(['LCS', 'p', 'q']);
      steps.push(['LCS', 'p', 'q', 'IDX', 'MINMATCHLEN', min, 'WITHMATCHLEN']);
      steps.push(['GETRANGE', 'p', String(Math.floor(random() * 40) - 20), String(Math.floor(random() * 40) - 20)]);
      steps.push(['SETRANGE', 'q', String(Math.floor(random() * 40)), word()]);
      steps.push(['GET', 'q']);
    }
    await pair.check(t, steps, { resp: 3 });
  });

  t.test('encodings reported by OBJECT ENCODING after string writes', async (t) => {
    const probe = await RawClient.connect(pair.sluice.port);
    const reply = (await probe.call('OBJECT', 'ENCODING', 'no-such-key')).toString('latin1');
    probe.close();
    if (reply.startsWith('-ERR unknown command')) {
      t.pass('skipped: Sluice has no OBJECT yet');
      return;
    }
    await pair.check(t, [
      ['SET', 'int', '123'],
      ['OBJECT', 'ENCODING', 'int'],
      ['SET', 'emb', 'hello'],
      ['OBJECT', 'ENCODING', 'emb'],
      ['APPEND', 'emb', 'x'],
      ['OBJECT', 'ENCODING', 'emb'],
      ['APPEND', 'new', '5'],
      ['OBJECT', 'ENCODING', 'new'],
      ['SETRANGE', 'sr', '2', 'x'],
      ['OBJECT', 'ENCODING', 'sr'],
      ['SET', 'sr2', '1'],
      ['SETRANGE', 'sr2', '0', '2'],
      ['OBJECT', 'ENCODING', 'sr2'],
      ['INCR', 'sr2'],
      ['OBJECT', 'ENCODING', 'sr2'],
      ['INCRBYFLOAT', 'f', '1.5'],
      ['OBJECT', 'ENCODING', 'f'],
      ['GETSET', 'emb', '10'],
      ['OBJECT', 'ENCODING', 'emb'],
      ['MSET', 'm', 'x'.repeat(45)],
      ['OBJECT', 'ENCODING', 'm'],
    ]);
  });
});
