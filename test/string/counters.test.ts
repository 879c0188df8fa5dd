// INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT against real Redis, byte for byte, in RESP2 and RESP3:
// exact 64-bit integer semantics, every error, and INCRBYFLOAT's long double digits (including a
// seeded random comparison; replay a failure with SEED=<n>).
// Not covered here: WRONGTYPE replies, which need a key of another type (Sluice has only strings yet).

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';

const integerScript: Step[] = [
  ['INCR', 'n'],
  ['INCR', 'n'],
  ['DECR', 'n'],
  ['DECR', 'n'],
  ['DECR', 'n'],
  ['GET', 'n'],
  ['DECR', 'fresh'],
  ['INCRBY', 'n', '100'],
  ['INCRBY', 'n', '-250'],
  ['DECRBY', 'n', '-50'],
  ['DECRBY', 'n', '7'],
  ['INCRBY', 'n', '0'],
  ['DECRBY', 'n', '0'],
  ['GET', 'n'],
  // Values beyond 2^53 stay exact.
  ['SET', 'big', '9007199254740993'],
  ['INCR', 'big'],
  ['INCRBY', 'big', '9007199254740993'],
  ['DECRBY', 'big', '18014398509481987'],
  ['INCRBY', 'zero', '9007199254740993'],
  ['DECRBY', 'zero', '-1'],
  ['SET', 'max', '9223372036854775806'],
  ['INCR', 'max'],
  ['INCR', 'max'],
  ['INCRBY', 'max', '0'],
  ['INCRBY', 'max', '-9223372036854775807'],
  ['INCRBY', 'max', '9223372036854775807'],
  ['INCRBY', 'max', '9223372036854775807'],
  ['SET', 'min', '-9223372036854775807'],
  ['DECR', 'min'],
  ['DECR', 'min'],
  ['GET', 'min'],
  ['INCRBY', 'min', '-1'],
  ['DECRBY', 'min', '1'],
  ['INCRBY', 'min', '9223372036854775807'],
  ['INCRBY', 'm2', '-9223372036854775808'],
  ['INCRBY', 'm2', '-1'],
  ['SET', 'm3', '-1'],
  ['INCRBY', 'm3', '-9223372036854775808'],
  ['SET', 'm4', '1'],
  ['INCRBY', 'm4', '-9223372036854775808'],
  // DECRBY cannot negate the smallest integer.
  ['DECRBY', 'm5', '-9223372036854775808'],
  ['DECRBY', 'm5', '9223372036854775807'],
  ['DECRBY', 'm5', '1'],
  ['DECRBY', 'm5', '1'],
  // Stored values that are not integers by Redis's strict rules.
  ...['abc', '', ' 1', '1 ', '+1', '01', '-0', '1.0', '1e3', '9223372036854775808', '-9223372036854775809', '00000000000000000001', '0x10', '1\0', '\0']
    .flatMap((bad): Step[] => [['SET', 'bad', Buffer.from(bad, 'latin1')], ['INCR', 'bad'], ['DECRBY', 'bad', '1'], ['GET', 'bad']]),
  ['SET', 'ok', '-9223372036854775808'],
  ['INCR', 'ok'],
  ['SET', 'ok', '0'],
  ['INCR', 'ok'],
  // Bad increments fail before the key is read (here, a key that is not an integer either).
  ...['abc', '', '1.5', '+5', ' 5', '05', '9223372036854775808', '-9223372036854775809', '1\0']
    .flatMap((bad): Step[] => [['INCRBY', 'bad', Buffer.from(bad, 'latin1')], ['DECRBY', 'n', Buffer.from(bad, 'latin1')]]),
  ['GET', 'n'],
  // Binary keys.
  ['INCR', Buffer.from([0, 13, 10, 255])],
  ['INCRBY', Buffer.from([0, 13, 10, 255]), '41'],
  ['GET', Buffer.from([0, 13, 10, 255])],
  // Arity.
  ['INCR'],
  ['INCR', 'a', 'b'],
  ['DECR'],
  ['INCRBY', 'a'],
  ['DECRBY', 'a', '1', '2'],
];

const longZeros = '0'.repeat(5118) + '1';

const floatScript: Step[] = [
  ['INCRBYFLOAT', 'f', '1.5'],
  ['INCRBYFLOAT', 'f', '-0.5'],
  ['INCRBYFLOAT', 'f', '0'],
  ['INCRBYFLOAT', 'g', '0.1'],
  ['INCRBYFLOAT', 'g', '0.2'],
  ['INCRBYFLOAT', 'g', '0.7'],
  ['INCRBYFLOAT', 'third', '0.333333333333333333333333'],
  ['INCRBYFLOAT', 'third', '0.333333333333333333333333'],
  ['INCRBYFLOAT', 'neg', '-1.5'],
  ['INCRBYFLOAT', 'neg', '0.5'],
  ['INCRBYFLOAT', 'neg', '1'],
  ['INCRBYFLOAT', 'exp', '5.0e3'],
  ['INCRBYFLOAT', 'exp', '3.0e-3'],
  ['INCRBYFLOAT', 'exp', '1E5'],
  ['INCRBYFLOAT', 'exp', '+.5e+1'],
  ['INCRBYFLOAT', 'exp', '5.'],
  ['INCRBYFLOAT', 'exp', '.25'],
  ['INCRBYFLOAT', 'hex', '0x10'],
  ['INCRBYFLOAT', 'hex', '0X1.8P1'],
  ['INCRBYFLOAT', 'hex', '0x1p-3'],
  ['INCRBYFLOAT', 'hex', '-0x.8'],
  ['INCRBYFLOAT', 'large', '1e20'],
  ['INCRBYFLOAT', 'large', '12345678901234567890.5'],
  ['INCRBYFLOAT', 'large', '-1e20'],
  ['INCRBYFLOAT', 'huge', '1e400'],
  ['INCRBYFLOAT', 'huge', '1e309'],
  ['INCRBYFLOAT', 'huge2', '1.5e4932'],
  ['INCRBYFLOAT', 'top', '1e4932'],
  ['INCRBYFLOAT', 'top', '1e4932'],
  ['GET', 'top'],
  ['INCRBYFLOAT', 'tiny', '1e-400'],
  ['INCRBYFLOAT', 'tiny', '-1e-400'],
  ['INCRBYFLOAT', 'tiny', '3e-4951'],
  ['INCRBYFLOAT', 'tiny', '1e-4951'],
  ['INCRBYFLOAT', 'tiny', '1e-5000'],
  ['INCRBYFLOAT', 'tiny', '0e-99999'],
  ['INCRBYFLOAT', 'tiny', '1e5000'],
  ['INCRBYFLOAT', 'tiny', '0.00000000000000001'],
  ['INCRBYFLOAT', 'tiny', '0.000000000000000005'],
  ['INCRBYFLOAT', 'tiny', '0.000000000000000015'],
  ['INCRBYFLOAT', 'tie', '0.000003814697265625'],
  ['INCRBYFLOAT', 'tie', '0.000011444091796875'],
  ['INCRBYFLOAT', 'negzero', '-0'],
  ['INCRBYFLOAT', 'negzero', '-0.000000000000000001'],
  ['INCRBYFLOAT', 'int', '9007199254740993'],
  ['INCRBYFLOAT', 'int', '0.5'],
  ['SET', 'i', '10'],
  ['INCRBYFLOAT', 'i', '1.5'],
  ['SET', 'i', '18446744073709551617'],
  ['INCRBYFLOAT', 'i', '1'],
  ['SET', 'i', '1.5'],
  ['INCRBYFLOAT', 'i', '1e-30'],
  // Infinities parse but the result may not be infinite.
  ['INCRBYFLOAT', 'f', 'inf'],
  ['INCRBYFLOAT', 'f', '-Infinity'],
  ['INCRBYFLOAT', 'f', '+INF'],
  ['SET', 'infval', 'inf'],
  ['INCRBYFLOAT', 'infval', '1'],
  ['SET', 'infval', '-infinity'],
  ['INCRBYFLOAT', 'infval', '-inf'],
  ['GET', 'infval'],
  // Not floats.
  ...['nan', 'NaN', '-nan', 'abc', '', ' 1', '1 ', '1e', '1e+', '.', '-.e1', '0x', '0x.p1', '0xg', '1,5', 'infin', '--1', '1..2', '1e5.5']
    .map((bad): Step => ['INCRBYFLOAT', 'f', Buffer.from(bad, 'latin1')]),
  // strtold stops at a NUL byte, but Redis checks the whole argument was read.
  ['INCRBYFLOAT', 'f', Buffer.from('1\0junk', 'latin1')],
  ['INCRBYFLOAT', 'f', Buffer.from('\0', 'latin1')],
  ['INCRBYFLOAT', 'f', Buffer.from('2\0', 'latin1')],
  ['SET', 'nulval', Buffer.from('5\0', 'latin1')],
  ['INCRBYFLOAT', 'nulval', '1'],
  // The argument length limit (MAX_LONG_DOUBLE_CHARS): 5119 characters pass, 5120 do not.
  ['INCRBYFLOAT', 'long', longZeros],
  ['INCRBYFLOAT', 'long', '0' + longZeros],
  ['SET', 'long', '0' + longZeros],
  ['INCRBYFLOAT', 'long', '1'],
  // Stored values that are not floats.
  ...['abc', ' 1', 'nan', '1e', '']
    .flatMap((bad): Step[] => [['SET', 'badf', bad], ['INCRBYFLOAT', 'badf', '1'], ['INCRBYFLOAT', 'badf', 'abc']]),
  ['GET', 'f'],
  ['INCRBYFLOAT', Buffer.from([0, 13, 10, 255]), '2.5'],
  ['INCRBYFLOAT'],
  ['INCRBYFLOAT', 'f'],
  ['INCRBYFLOAT', 'f', '1', '2'],
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

/** A random number in one of the spellings people and programs use. */
function randomNumberText(random: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('');
  const sign = pick(['', '', '-', '+']);
  switch (pick(['int', 'fixed', 'exp', 'short', 'double'])) {
    case 'int':
      return sign + String(1 + Math.floor(random() * 1e6));
    case 'fixed':
      return `${sign}${digits(1 + Math.floor(random() * 12))}.${digits(1 + Math.floor(random() * 22))}`;
    case 'exp':
      return `${sign}${digits(1)}.${digits(Math.floor(random() * 25))}e${Math.floor(random() * 80) - 40}`;
    case 'short':
      return `${sign}0.${digits(Math.floor(random() * 3))}${1 + Math.floor(random() * 9)}`;
    default:
      return String((random() - 0.5) * 10 ** (Math.floor(random() * 40) - 20));
  }
}

t.test('integer and float counters match Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());

  for (const resp of [2, 3] as const) {
    t.test(`replies match in RESP${resp}`, async (t) => {
      await pair.check(t, integerScript, { resp });
      await pair.check(t, floatScript, { resp });
    });
  }

  t.test('random INCRBYFLOAT sequences print the same digits', async (t) => {
    const seed = Number(process.env.SEED ?? Date.now() % 1e9);
    t.comment(`seed ${seed} (replay with SEED=${seed})`);
    const random = rng(seed);
    const steps: Step[] = [];
    for (let i = 0; i < 400; i++) {
      const key = `r${Math.floor(random() * 6)}`;
      if (random() < 0.1) steps.push(['SET', key, randomNumberText(random)]);
      else steps.push(['INCRBYFLOAT', key, randomNumberText(random)]);
    }
    await pair.check(t, steps);
  });
});
