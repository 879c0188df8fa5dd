// lpStringToInt64 decides whether listpack would store a value as an integer, which sets how many
// bytes Redis's node would weigh and so where blocks split: it must accept exactly the canonical
// decimal int64s, as listpack's own function does.

import t from 'tap';
import { lpStringToInt64 } from '../../storage/stream/listpack-size';
import { seededRandom } from '../support/random';

t.test('canonical int64 text is a number, everything else is not', async (t) => {
  const accepted: Array<[string, number | bigint]> = [
    ['0', 0],
    ['7', 7],
    ['-7', -7],
    ['123456789012345', 123456789012345],
    ['-123456789012345', -123456789012345],
    ['1234567890123456', 1234567890123456],
    ['9007199254740991', 9007199254740991],
    ['9007199254740992', 9007199254740992n],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
  ];
  for (const [text, value] of accepted) t.equal(lpStringToInt64(text), value, text);
  const refused = ['', '-', '-0', '00', '01', '+1', ' 1', '1 ', '1.5', '1e3', 'x', '9223372036854775808', '-9223372036854775809', '123456789012345678901'];
  for (const text of refused) t.equal(lpStringToInt64(text), null, JSON.stringify(text));
  t.equal(lpStringToInt64(Buffer.from('-42')), -42, 'raw bytes as well as strings');
});

t.test('random integers of every length read back as themselves', async (t) => {
  const random = seededRandom(424242);
  let wrong = 0;
  for (let i = 0; i < 5000; i++) {
    const digits = 1 + Math.floor(random() * 15);
    let text = String(1 + Math.floor(random() * 9));
    for (let d = 1; d < digits; d++) text += String(Math.floor(random() * 10));
    if (random() < 0.5) text = '-' + text;
    if (lpStringToInt64(text) !== Number(text)) wrong++;
  }
  t.equal(wrong, 0);
});
