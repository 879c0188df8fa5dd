// INCRBYFLOAT's long double arithmetic without a server: digits recorded from Redis 7 on x86-64
// (where long double is the x87 80-bit format), so the emulation is checked even where no
// redis-server is installed. The differential tests compare many more cases against a live Redis.

import t from 'tap';
import { addLongDouble, formatLongDouble, parseLongDouble, ZERO, type LongDouble } from '../../commands/string/longdouble';

/** What INCRBYFLOAT replies after adding `increments` in turn to a missing key (null: an error). */
function incrementAll(increments: readonly string[]): string | null {
  let value: LongDouble = ZERO;
  for (const text of increments) {
    const increment = parseLongDouble(text);
    if (increment === null) return null;
    const sum = addLongDouble(value, increment);
    if (sum === null) return null;
    value = parseLongDouble(formatLongDouble(sum)) as LongDouble;
  }
  return formatLongDouble(value);
}

t.test('sums print the digits Redis prints', async (t) => {
  const cases: Array<[string[], string]> = [
    [['0.1', '0.2'], '0.3'],
    [['1.5', '1e-30'], '1.5'],
    [['0.333333333333333333333333'], '0.33333333333333333'],
    [['0.333333333333333333333333', '0.333333333333333333333333'], '0.66666666666666666'],
    [['0x1p-3'], '0.125'],
    [['0x1p-3', '3e-4951'], '0.125'],
    [['0x1p-3', '3e-4951', '-0.125'], '0'],
    [['0.000003814697265625'], '0.00000381469726562'],
    [['0.000011444091796875'], '0.00001144409179688'],
    [['12345678901234567890.5'], '12345678901234567890'],
    [['-1e-400'], '0'],
    [['1e20'], '100000000000000000000'],
    [['10.5', '-0.5'], '10'],
    [['-1.5', '0.5'], '-1'],
    [['5.0e3', '3.0e-3'], '5000.00300000000000011'],
  ];
  for (const [increments, expected] of cases) t.equal(incrementAll(increments), expected, increments.join(' + '));
  t.equal(incrementAll(['1.7976931348623157e308'])?.slice(0, 40), '1797693134862315699959210467741044340483', 'beyond double range');
  t.equal(incrementAll(['1e400'])?.length, 401, '1e400 prints all 401 digits');
});

t.test('errors: not a float, or a result that is not finite', async (t) => {
  for (const bad of ['', ' 1', '1 ', 'nan', 'abc', '1e', '0x', '.', '1e5000', '1e-5000', '1\0', '0'.repeat(5119) + '1']) {
    t.equal(parseLongDouble(bad), null, JSON.stringify(bad.length > 20 ? `${bad.length} chars` : bad));
  }
  for (const good of ['inf', '-Infinity', '1e-4950', '0x1.8p1', '.5', '5.', '0'.repeat(5118) + '1']) {
    t.not(parseLongDouble(good), null, JSON.stringify(good.length > 20 ? `${good.length} chars` : good));
  }
  t.equal(incrementAll(['1e4932', '1e4932']), null, 'overflow to infinity');
  t.equal(incrementAll(['inf']), null, 'infinite increment');
  t.equal(incrementAll(['inf', '-inf']), null, 'NaN');
});
